// Integration test support for time-driven tests: the bot's test clock (POST /test/clock,
// DAIBAN_TEST_NOW; DAIBAN_TEST_HOOKS builds only), messages stamped with the bot's time, pushes
// read from the log sink's lines, and direct Redis commands.
#pragma once

#include "model/civil_date.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>

namespace daiban::test::timed {

using nlohmann::json;

// Unix seconds of a local (UTC+8) time.
inline std::int64_t china(int y, int mo, int d, int h, int mi) {
    const daiban::model::civil_date date{y, mo, d};
    return date.to_days() * 86400 + h * 3600 + mi * 60 - 8 * 3600;
}

inline std::string unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + std::to_string(now_s()) + "-" + std::to_string(getpid()) + "-" +
           std::to_string(++n);
}

// The bot's current time (ms), read through the test clock route.
inline std::int64_t bot_now_ms(daiban::bot::http::client& c) {
    auto r = c.request("POST", "/test/clock", R"({"advance_ms":0})",
                       {{"Content-Type", "application/json"}});
    return json::parse(r.body).at("now_ms").get<std::int64_t>();
}
inline void set_bot_time(daiban::bot::http::client& c, std::int64_t unix_s) {
    auto r = c.request("POST", "/test/clock", json{{"now_ms", unix_s * 1000}}.dump(),
                       {{"Content-Type", "application/json"}});
    REQUIRE(r.status == 200);
}

// What a resident sees for one message (stamped with the bot's time, inside the replay window).
inline std::vector<std::string>
say(daiban::bot::http::client& c, const std::string& user, const std::string& text) {
    auto msg = text_message(unique("m"), user, text);
    msg["time"] = bot_now_ms(c) / 1000;
    auto res = post_hook(c, msg.dump());
    REQUIRE(res.status == 200);
    std::vector<std::string> out;
    const auto j = json::parse(res.body); // (a range-for over a temporary's member dangles)
    for (const auto& r : j["replies"])
        out.push_back(r["text"].get<std::string>());
    return out;
}

// Everything the bot said back to one message, as one text.
inline std::string
say_all(daiban::bot::http::client& c, const std::string& user, const std::string& text) {
    std::string all;
    for (const auto& t : say(c, user, text))
        all += t;
    return all;
}

inline bool contains(const std::string& hay, const std::string& needle) {
    return hay.find(needle) != std::string::npos;
}

// Pushes the log sink wrote to one person's private chat.
inline std::vector<std::string> pushes_to(const std::string& log, const std::string& user) {
    std::ifstream f(log);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(f, line))
        if (contains(line, "event=push ") && contains(line, " to=private:" + user + " "))
            out.push_back(line);
    return out;
}

// Waits (bounded) until `n` pushes reached `user`; the timer worker polls every 250 ms.
inline std::vector<std::string>
wait_pushes(const std::string& log, const std::string& user, std::size_t n) {
    for (int i = 0; i < 100; ++i) {
        auto p = pushes_to(log, user);
        if (p.size() >= n) return p;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return pushes_to(log, user);
}

// Waits until the worker has settled timer `id` (its log line), so absence can be asserted.
inline bool wait_log(const std::string& log, const std::string& needle) {
    for (int i = 0; i < 100; ++i) {
        std::ifstream f(log);
        std::stringstream ss;
        ss << f.rdbuf();
        if (contains(ss.str(), needle)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

class redis_cmd {
public:
    explicit redis_cmd(const std::string& address) {
        const auto colon = address.rfind(':');
        ctx_ = redisConnect("127.0.0.1", std::atoi(address.c_str() + colon + 1));
        if (!ctx_ || ctx_->err) throw std::runtime_error("cannot connect to " + address);
    }
    ~redis_cmd() { redisFree(ctx_); }
    // The reply as text lines (nil -> "", integer -> its digits, array -> its elements).
    std::vector<std::string> run(const std::vector<std::string>& args) {
        std::vector<const char*> argv;
        std::vector<size_t> lens;
        for (const auto& a : args) {
            argv.push_back(a.c_str());
            lens.push_back(a.size());
        }
        auto* r = static_cast<redisReply*>(
            redisCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), lens.data()));
        std::vector<std::string> out;
        if (!r) return out;
        auto text = [](redisReply* e) -> std::string {
            if (e->type == REDIS_REPLY_STRING || e->type == REDIS_REPLY_STATUS)
                return std::string(e->str, e->len);
            if (e->type == REDIS_REPLY_INTEGER) return std::to_string(e->integer);
            return "";
        };
        if (r->type == REDIS_REPLY_ARRAY)
            for (size_t i = 0; i < r->elements; ++i)
                out.push_back(text(r->element[i]));
        else
            out.push_back(text(r));
        freeReplyObject(r);
        return out;
    }
    std::string one(const std::vector<std::string>& args) {
        auto v = run(args);
        return v.empty() ? "" : v.front();
    }

private:
    redisContext* ctx_ = nullptr;
};

inline std::string now_env(std::int64_t unix_s) {
    return "DAIBAN_TEST_NOW=" + std::to_string(unix_s);
}

// A message in a group, stamped with the bot's time; the replies as JSON.
inline json group_say(daiban::bot::http::client& c,
                      const std::string& group,
                      const std::string& from,
                      const std::string& text) {
    json msg = text_message(unique("m"), from, text);
    msg["chat"] = {{"type", "group"}, {"id", group}};
    msg["mentions_bot"] = true;
    msg["time"] = bot_now_ms(c) / 1000;
    auto res = post_hook(c, msg.dump());
    REQUIRE(res.status == 200);
    return json::parse(res.body);
}

// Pushes the log sink wrote to a group.
inline std::vector<std::string> pushes_to_group(const std::string& log, const std::string& group) {
    std::ifstream f(log);
    std::vector<std::string> out;
    std::string line;
    while (std::getline(f, line))
        if (line.find("event=push ") != std::string::npos &&
            line.find(" to=group:" + group + " ") != std::string::npos)
            out.push_back(line);
    return out;
}

} // namespace daiban::test::timed
