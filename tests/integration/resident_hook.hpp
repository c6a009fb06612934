// Integration support: a resident's or an agent's side of the JSON hook — signed messages
// (text, group text, photos, events), the replies said to one chat, the case number in them,
// and tiny real image files. Shared by the case and conversation tests.
#pragma once

#include "bot/channels/crypto.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <regex>

namespace daiban::test {

using nlohmann::json;

inline std::string unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + std::to_string(now_s()) + "-" + std::to_string(getpid()) + "-" +
           std::to_string(++n);
}

// A real (tiny) baseline JPEG: one 8x8 grey block, with a comment byte `tag` so that every
// photo has different bytes (and so a different content address).
inline std::string tiny_jpeg(unsigned char tag) {
    std::string j = "\xFF\xD8";                                                   // SOI
    j += std::string("\xFF\xFE\x00\x04\x64", 5) + char(tag);                      // COM
    j += std::string("\xFF\xDB\x00\x43\x00", 5) + std::string(64, '\x01');        // DQT, all ones
    j += std::string("\xFF\xC0\x00\x0B\x08\x00\x08\x00\x08\x01\x01\x11\x00", 13); // SOF0 8x8
    // One-code Huffman tables: DC category 0 and AC end-of-block, each the 1-bit code "0".
    const std::string one_code = std::string("\x01", 1) + std::string(15, '\0') + '\0';
    j += std::string("\xFF\xC4\x00\x14\x00", 5) + one_code;
    j += std::string("\xFF\xC4\x00\x14\x10", 5) + one_code;
    j += std::string("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10); // SOS
    j += "\x3F";                                                      // "00" + padding ones
    j += "\xFF\xD9";                                                  // EOI
    return j;
}

// A 1x1 red PNG.
inline const std::string tiny_png(
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00"
    "\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63"
    "\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00\x49\x45\x4e\x44\xae"
    "\x42\x60\x82",
    69);

struct person {
    std::string id;
    std::string name;
};

inline const person agent_cl{"u_agent_cl_1", "蒋文秀"};
inline const person agent_hhl_1{"u_agent_hhl_1", "李春生"};
inline const person agent_hhl_2{"u_agent_hhl_2", "孙桂芝"};

inline json merged(json a, const json& b) {
    for (auto& [k, v] : b.items())
        a[k] = v;
    return a;
}

// One side of the conversation: builds signed hook messages and reads the replies.
class hook {
public:
    // `tenant`: whose /hook/{tenant} the messages go to.
    explicit hook(const bot_process& bot, std::string tenant = "demo")
        : c_(bot.url(), 5000), tenant_(std::move(tenant)) {}

    json send(const json& body) {
        auto res = post_hook(c_, body.dump(), hook_secret, tenant_);
        INFO(res.body);
        REQUIRE(res.status == 200);
        return json::parse(res.body);
    }
    // For threads: Catch's assertions are not thread-safe, so this one makes none. The response
    // (the status and the parsed body, null when it is not JSON) is for the caller to check after
    // joining.
    std::pair<int, json> send_from_thread(const json& body) {
        auto res = post_hook(c_, body.dump(), hook_secret, tenant_);
        return {res.status, json::parse(res.body, nullptr, false)};
    }
    json text(const person& from, const std::string& text) {
        return send(merged(base(from, "private", from.id, "text"), json{{"text", text}}));
    }
    json group_text(const std::string& group,
                    const person& from,
                    const std::string& text,
                    bool mention = false) {
        return send(group_body(group, from, text, mention));
    }
    static json group_body(const std::string& group,
                           const person& from,
                           const std::string& text,
                           bool mention = false) {
        json b = base(from, "group", group, "text");
        b["text"] = text;
        b["mentions_bot"] = mention;
        return b;
    }
    json photo(const person& from, const std::string& bytes, const std::string& mime) {
        return send(photo_body(from, bytes, mime));
    }
    static json photo_body(const person& from, const std::string& bytes, const std::string& mime) {
        json b = base(from, "private", from.id, "image");
        b["media"] = {{"data", daiban::bot::channels::base64_encode(bytes)}, {"mime", mime}};
        return b;
    }
    json event(const person& from, const std::string& name, const std::string& key) {
        json b = base(from, "private", from.id, "event");
        b["event"] = {{"name", name}, {"key", key}};
        return send(b);
    }

    static json base(const person& from,
                     const std::string& chat_type,
                     const std::string& chat_id,
                     const std::string& type) {
        return {{"id", unique("m")},
                {"time", now_s()},
                {"chat", {{"type", chat_type}, {"id", chat_id}}},
                {"from", {{"id", from.id}, {"name", from.name}}},
                {"type", type}};
    }

private:
    daiban::bot::http::client c_;
    std::string tenant_;
};

// Everything said to one chat in a response, joined.
inline std::string said_to(const json& res, const std::string& chat_id) {
    std::string out;
    for (const auto& r : res["replies"])
        if (r["chat"]["id"] == chat_id) out += r["text"].get<std::string>() + "\n";
    return out;
}

inline bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The case number in "编号 12" / "#12".
inline std::string case_number(const std::string& text) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex("编号 ([0-9]+)"))) return m[1];
    if (std::regex_search(text, m, std::regex("#([0-9]+)"))) return m[1];
    return "";
}

// Any 11-digit mobile or 18-character ID number.
inline bool has_personal_numbers(const std::string& text) {
    return std::regex_search(text, std::regex("1[3-9][0-9]{9}|[0-9]{17}[0-9Xx]"));
}

class redis_hash {
public:
    explicit redis_hash(const std::string& address) : r_(address) {}
    std::string field(const std::string& n, const std::string& f) {
        return r_.hget("dbn:{demo}:case:" + n, f).value_or("");
    }

private:
    redis_reader r_;
};

} // namespace daiban::test
