// bot layer, cli: `daiban chat` — a terminal chat over the JSON hook, as a resident or (with an
// agent's id and --group) as an agent in a village group. Several windows play several people:
// each shows what is said to its own person and group, wherever it was said. A reply the bot
// addresses to someone else (the 补正 notice an agent's command sends the resident) is dropped
// into that chat's mailbox file (var/chat/<tenant>/<chat id>.jsonl, what a bridge would deliver),
// and the window of that person prints it as it arrives.
#include "bot/channels/crypto.hpp"
#include "bot/channels/json_hook.hpp"
#include "bot/cli/commands.hpp"
#include "bot/cli/hook_request.hpp"
#include "bot/http/client.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace daiban::bot::cli {

using nlohmann::json;

namespace {
constexpr const char* chat_usage =
    "usage: daiban chat [--url URL] [--secret S] [--tenant T] [--as ID] [--name NAME] [--group "
    "ID] [--mailbox DIR]\n"
    "  type a message and press Enter; /image FILE sends a picture; /quit leaves\n"
    "  replies for other people go to DIR/<tenant>/<chat>.jsonl (default var/chat), where their\n"
    "  own chat windows pick them up\n";

std::mutex print_mutex;

void print_reply(const json& r) {
    const auto chat = r.value("chat", json::object());
    const bool in_group = chat.value("type", "") == "group";
    std::lock_guard lock(print_mutex);
    std::cout << (in_group ? "[群 " + chat.value("id", "") + "] " : "[私聊] ")
              << "bot: " << r.value("text", "") << "\n"
              << std::flush;
}

// One file per chat id; a line per reply, appended whole (O_APPEND), so windows never interleave.
std::filesystem::path mailbox_of(const std::filesystem::path& dir, const std::string& chat_id) {
    std::string safe;
    for (char c : chat_id)
        safe += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ? c : '_';
    return dir / (safe + ".jsonl");
}

// Prints what arrives in the mailboxes of `ids` until `stop`, starting from their current end.
void watch_mailboxes(std::filesystem::path dir,
                     std::vector<std::string> ids,
                     const std::atomic<bool>& stop) {
    std::vector<std::uintmax_t> offsets;
    for (const auto& id : ids) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(mailbox_of(dir, id), ec);
        offsets.push_back(ec ? 0 : size);
    }
    while (!stop) {
        for (std::size_t k = 0; k < ids.size(); ++k) {
            std::ifstream f(mailbox_of(dir, ids[k]), std::ios::binary);
            if (!f) continue;
            f.seekg(static_cast<std::streamoff>(offsets[k]));
            std::string line;
            while (std::getline(f, line)) {
                if (f.eof()) break; // a line still being written
                offsets[k] += line.size() + 1;
                auto j = json::parse(line, nullptr, false);
                if (j.is_object()) print_reply(j);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
}

std::string mime_of(const std::string& path) {
    auto ends = [&](const char* s) { return path.size() >= std::strlen(s) && path.ends_with(s); };
    if (ends(".png") || ends(".PNG")) return "image/png";
    if (ends(".pdf") || ends(".PDF")) return "application/pdf";
    return "image/jpeg";
}
} // namespace

int run_chat(int argc, char** argv) {
    hook_target target;
    std::string as = "u_demo_resident", name = "演示居民", group, mailbox = "var/chat";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--url")
            target.url = next();
        else if (a == "--secret")
            target.secret = next();
        else if (a == "--tenant")
            target.tenant = next();
        else if (a == "--as")
            as = next();
        else if (a == "--name")
            name = next();
        else if (a == "--group")
            group = next();
        else if (a == "--mailbox")
            mailbox = next();
        else {
            std::cerr << "unknown argument '" << a << "'\n" << chat_usage;
            return 2;
        }
    }
    if (target.secret.empty()) target.secret = default_hook_secret(target.tenant);
    if (target.secret.empty()) {
        std::cerr << "no hook secret: pass --secret, set DAIBAN_HOOK_SECRET, or run from the "
                     "repository root\n";
        return 2;
    }
    http::client client(target.url);
    const bool tty = isatty(0);
    const std::string session = std::to_string(unix_seconds()) + "-" + std::to_string(getpid());
    if (tty)
        std::cout << "chatting with " << target.url << "/hook/" << target.tenant << " as " << as
                  << (group.empty() ? "" : " in group " + group) << " — /quit to leave\n";
    const std::filesystem::path box = std::filesystem::path(mailbox) / target.tenant;
    std::error_code mkdir_error;
    std::filesystem::create_directories(box, mkdir_error);
    std::vector<std::string> mine{as};
    if (!group.empty()) mine.push_back(group);
    std::atomic<bool> stop{false};
    std::thread watcher(watch_mailboxes, box, mine, std::cref(stop));
    int seq = 0;
    std::string line;
    while ((tty && std::cout << "> " << std::flush), std::getline(std::cin, line)) {
        if (line == "/quit" || line == "/exit") break;
        if (line.empty()) continue;
        json body{
            {"id", "chat-" + session + "-" + std::to_string(++seq)},
            {"time", unix_seconds()},
            {"chat",
             {{"type", group.empty() ? "private" : "group"}, {"id", group.empty() ? as : group}}},
            {"from", {{"id", as}, {"name", name}}},
            {"mentions_bot", true}};
        if (line.starts_with("/image ")) {
            const std::string path = line.substr(7);
            std::ifstream f(path, std::ios::binary);
            if (!f) {
                std::cout << "(cannot read " << path << ")\n";
                continue;
            }
            std::stringstream bytes;
            bytes << f.rdbuf();
            body["type"] = "image";
            body["media"] = {{"data", channels::base64_encode(bytes.str())},
                             {"mime", mime_of(path)},
                             {"name", path.substr(path.find_last_of('/') + 1)}};
        } else {
            body["type"] = "text";
            body["text"] = line;
        }
        const std::string raw = body.dump();
        try {
            auto res = client.request(
                "POST", "/hook/" + target.tenant, raw,
                {{"Content-Type", "application/json"},
                 {"X-Daiban-Signature", channels::hook_signature(target.secret, raw)},
                 // What a balancer hashes on (deploy/nginx/daiban.conf).
                 {"X-Daiban-Chat", body["chat"]["id"].get<std::string>()}});
            auto j = json::parse(res.body, nullptr, false);
            if (res.status != 200) {
                std::cout << "(HTTP " << res.status << ": "
                          << (j.is_object() ? j.value("detail", res.body) : res.body) << ")\n";
                continue;
            }
            // Mine are shown here; the others go to their people's mailboxes.
            for (const auto& r : j.value("replies", json::array())) {
                const auto id = r.value("chat", json::object()).value("id", "");
                if (id == as || (!group.empty() && id == group)) {
                    print_reply(r);
                    continue;
                }
                std::ofstream out(mailbox_of(box, id), std::ios::binary | std::ios::app);
                out << r.dump() << "\n";
                std::lock_guard lock(print_mutex);
                std::cout << "(已发给 " << id << ")\n";
            }
        } catch (const std::exception& e) {
            std::cout << "(" << e.what() << ")\n";
        }
    }
    stop = true;
    watcher.join();
    return 0;
}

} // namespace daiban::bot::cli
