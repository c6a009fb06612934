// bot layer, cli: `daiban chat` — a terminal chat over the JSON hook, as a resident or (with an
// agent's id and --group) as an agent in a village group.
#include "bot/channels/crypto.hpp"
#include "bot/channels/json_hook.hpp"
#include "bot/cli/commands.hpp"
#include "bot/cli/hook_request.hpp"
#include "bot/http/client.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace daiban::bot::cli {

using nlohmann::json;

namespace {
constexpr const char* chat_usage =
    "usage: daiban chat [--url URL] [--secret S] [--tenant T] [--as ID] [--name NAME] [--group "
    "ID]\n"
    "  type a message and press Enter; /image FILE sends a picture; /quit leaves\n";

std::string mime_of(const std::string& path) {
    auto ends = [&](const char* s) { return path.size() >= std::strlen(s) && path.ends_with(s); };
    if (ends(".png") || ends(".PNG")) return "image/png";
    if (ends(".pdf") || ends(".PDF")) return "application/pdf";
    return "image/jpeg";
}
} // namespace

int run_chat(int argc, char** argv) {
    hook_target target;
    std::string as = "u_demo_resident", name = "演示居民", group;
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
                 {"X-Daiban-Signature", channels::hook_signature(target.secret, raw)}});
            auto j = json::parse(res.body, nullptr, false);
            if (res.status != 200) {
                std::cout << "(HTTP " << res.status << ": "
                          << (j.is_object() ? j.value("detail", res.body) : res.body) << ")\n";
                continue;
            }
            for (const auto& r : j.value("replies", json::array())) {
                const auto chat = r.value("chat", json::object());
                const bool in_group = chat.value("type", "") == "group";
                std::cout << (in_group ? "[群 " + chat.value("id", "") + "] " : "[私聊] ")
                          << "bot: " << r.value("text", "") << "\n";
            }
        } catch (const std::exception& e) {
            std::cout << "(" << e.what() << ")\n";
        }
    }
    return 0;
}

} // namespace daiban::bot::cli
