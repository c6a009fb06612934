// Integration: the JSON hook through the real server and a real Redis — what a bridge or a
// resident would see: replies, precise errors, duplicates, ordering, outages, shutdown.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>

using namespace daiban::test;
using nlohmann::json;

namespace {
json parse(const daiban::bot::http::client_response& r) {
    return json::parse(r.body, nullptr, false);
}
std::string unique(const std::string& prefix) {
    static std::atomic<int> n{0};
    return prefix + "-" + std::to_string(now_s()) + "-" + std::to_string(getpid()) + "-" +
           std::to_string(++n);
}
} // namespace

TEST_CASE("a greeting gets the help text and the conversation is remembered",
          "[integration][hook]") {
    bot_process bot(fixture_redis());
    daiban::bot::http::client c(bot.url());
    const std::string user = unique("u_help");
    auto res = post_hook(c, text_message(unique("m"), user, "你好").dump());
    REQUIRE(res.status == 200);
    auto j = parse(res);
    CHECK(j["duplicate"] == false);
    REQUIRE(j["replies"].size() == 1);
    CHECK(j["replies"][0]["chat"]["id"] == user);
    CHECK(j["replies"][0]["text"].get<std::string>().find("代办") != std::string::npos);

    redis_reader redis(fixture_redis());
    const std::string key = "dbn:{demo}:conv:p:" + user;
    CHECK(redis.hget(key, "turns") == "1");
    CHECK(redis.hget(key, "locale") == "zh-Hans");
    // 30-day sliding TTL
    CHECK(redis.ttl(key) > 29 * 86400);
}

TEST_CASE("words the bot does not know get a helpful question — not silence",
          "[integration][hook]") {
    bot_process bot(fixture_redis());
    daiban::bot::http::client c(bot.url());
    auto j = parse(post_hook(c, text_message(unique("m"), unique("u"), "嗯嗯啊").dump()));
    REQUIRE(j["replies"].size() == 1);
    const auto text = j["replies"][0]["text"].get<std::string>();
    // Either numbered likeliest meanings to pick from, or the pointer to the menu.
    INFO(text);
    CHECK((text.find("1. ") != std::string::npos || text.find("帮助") != std::string::npos));
    CHECK(text.find("没太明白") != std::string::npos);
}

TEST_CASE("picking a number from the bot's \"您是想…\" question does what that line says",
          "[integration][hook]") {
    bot_process bot(fixture_redis());
    daiban::bot::http::client c(bot.url());
    const std::string user = unique("u_pick");
    auto asked = parse(post_hook(c, text_message(unique("m"), user, "嗯嗯啊").dump()));
    REQUIRE(asked["replies"].size() == 1);
    const auto question = asked["replies"][0]["text"].get<std::string>();
    INFO(question);
    // The classifier offers what it finds likeliest; this text has always had choices.
    REQUIRE(question.find("1. ") != std::string::npos);
    const bool first_is_help = question.find("1. 看看我能做什么") != std::string::npos;
    auto picked = parse(post_hook(c, text_message(unique("m"), user, "1").dump()));
    REQUIRE(picked["replies"].size() >= 1);
    const auto answer = picked["replies"][0]["text"].get<std::string>();
    INFO(answer);
    // Never the same "didn't understand" again, never a rating or a case by accident.
    CHECK(answer.find("没太明白") == std::string::npos);
    CHECK(answer.find("评价") == std::string::npos);
    if (first_is_help) CHECK(answer.find("办事指南") != std::string::npos);
}

TEST_CASE("the same message delivered three times is handled once", "[integration][hook]") {
    bot_process bot(fixture_redis());
    daiban::bot::http::client c(bot.url());
    const std::string user = unique("u_dup");
    const std::string body = text_message(unique("m"), user, "你好").dump();
    auto first = parse(post_hook(c, body));
    auto second = parse(post_hook(c, body));
    auto third = parse(post_hook(c, body));
    CHECK(first["duplicate"] == false);
    CHECK(first["replies"].size() == 1);
    // The resends are answered with what the first delivery said (its sender never saw it).
    CHECK(second == json{{"replies", first["replies"]}, {"duplicate", true}});
    CHECK(third == json{{"replies", first["replies"]}, {"duplicate", true}});
    redis_reader redis(fixture_redis());
    CHECK(redis.hget("dbn:{demo}:conv:p:" + user, "turns") == "1");
}

TEST_CASE("twenty messages at once to one conversation are all counted", "[integration][hook]") {
    bot_process bot(fixture_redis());
    const std::string user = unique("u_burst");
    std::atomic<int> ok{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < 20; ++i)
        senders.emplace_back([&, i] {
            daiban::bot::http::client c(bot.url());
            auto res =
                post_hook(c, text_message(unique("m" + std::to_string(i)), user, "你好").dump());
            if (res.status == 200) ++ok;
        });
    for (auto& t : senders)
        t.join();
    CHECK(ok == 20);
    redis_reader redis(fixture_redis());
    CHECK(redis.hget("dbn:{demo}:conv:p:" + user, "turns") == "20");
}

TEST_CASE("bad requests get a precise error naming the problem", "[integration][hook]") {
    bot_process bot(fixture_redis());
    daiban::bot::http::client c(bot.url());
    const json good = text_message(unique("m"), "u_bad", "你好");

    SECTION("wrong signature -> 401") {
        auto res = post_hook(c, good.dump(), "not-the-secret-at-all-00000");
        CHECK(res.status == 401);
        CHECK(parse(res)["error"] == "bad_signature");
    }
    SECTION("missing signature -> 401") {
        auto res =
            c.request("POST", "/hook/demo", good.dump(), {{"Content-Type", "application/json"}});
        CHECK(res.status == 401);
        CHECK(parse(res)["error"] == "missing_signature");
    }
    SECTION("a replayed old message -> 401 naming time") {
        json old = good;
        old["time"] = now_s() - 3600;
        auto res = post_hook(c, old.dump());
        CHECK(res.status == 401);
        CHECK(parse(res)["field"] == "time");
    }
    SECTION("unknown tenant -> 404") {
        auto res = post_hook(c, good.dump(), hook_secret, "nosuch");
        CHECK(res.status == 404);
        CHECK(parse(res)["error"] == "unknown_tenant");
    }
    SECTION("unknown route -> 404, wrong method -> 405 with Allow") {
        CHECK(c.request("GET", "/nothing/here").status == 404);
        auto res = c.request("GET", "/hook/demo");
        CHECK(res.status == 405);
        CHECK(res.header("Allow") == "POST");
    }
    SECTION("wrong content type -> 415") {
        auto res = post_hook(c, good.dump(), hook_secret, "demo", "text/plain");
        CHECK(res.status == 415);
    }
    SECTION("body over the limit -> 413") {
        json big = good;
        big["media"] = {{"data", std::string(4 * 1024 * 1024, 'A')}};
        auto res = post_hook(c, big.dump());
        CHECK(res.status == 413);
        CHECK(parse(res)["error"] == "body_too_large");
    }
    SECTION("not JSON -> 400") {
        auto res = post_hook(c, "{not json");
        CHECK(res.status == 400);
        CHECK(parse(res)["error"] == "bad_json");
    }
    SECTION("each invalid field is named") {
        struct bad_case {
            const char* field;
            std::function<void(json&)> spoil;
        };
        const std::vector<bad_case> cases{
            {"id", [](json& j) { j.erase("id"); }},
            {"time", [](json& j) { j["time"] = "yesterday"; }},
            {"chat", [](json& j) { j.erase("chat"); }},
            {"chat.type", [](json& j) { j["chat"]["type"] = "channel"; }},
            {"chat.id", [](json& j) { j["chat"]["id"] = ""; }},
            {"from.id", [](json& j) { j["from"].erase("id"); }},
            {"type", [](json& j) { j["type"] = "sticker"; }},
            {"text", [](json& j) { j["text"] = 42; }},
            {"media", [](json& j) { j["type"] = "image"; }},
            {"media.data",
             [](json& j) {
                 j["type"] = "image";
                 j["media"] = {{"data", "***"}};
             }},
            {"media.url",
             [](json& j) {
                 j["type"] = "image";
                 j["media"] = {{"url", "ftp://x/y.jpg"}};
             }},
            {"mentions_bot", [](json& j) { j["mentions_bot"] = "yes"; }},
        };
        for (const auto& bc : cases) {
            json body = good;
            bc.spoil(body);
            auto res = post_hook(c, body.dump());
            INFO("field " << bc.field << ": " << res.body);
            CHECK(res.status == 400);
            CHECK(parse(res)["field"] == bc.field);
        }
    }
    // The server is still fine after all that.
    CHECK(c.request("GET", "/healthz").status == 200);
}

TEST_CASE("Redis down: 503 and not ready — then recovery without a restart",
          "[integration][hook][redis]") {
    redis_process redis;
    bot_process bot(redis.address());
    daiban::bot::http::client c(bot.url());
    const std::string user = unique("u_outage");
    REQUIRE(post_hook(c, text_message(unique("m"), user, "你好").dump()).status == 200);

    redis.stop();
    bot.wait_until("/readyz", 503);
    for (int i = 0; i < 5; ++i) {
        auto res = post_hook(c, text_message(unique("m"), user, "你好").dump());
        CHECK(res.status == 503);
        CHECK(parse(res)["error"] == "unavailable");
    }
    CHECK(bot.alive());

    redis.start();
    bot.wait_until("/readyz", 200);
    auto res = post_hook(c, text_message(unique("m"), user, "你好").dump());
    CHECK(res.status == 200);
    CHECK(parse(res)["replies"].size() == 1);

    // The operator reads one line when Redis went away (saying why) and one when it came back
    // (saying for how long), not one per refused request.
    std::ifstream in(bot.log_file());
    const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto count = [&log](const std::string& what) {
        std::size_t n = 0;
        for (auto at = log.find(what); at != std::string::npos; at = log.find(what, at + 1))
            ++n;
        return n;
    };
    CHECK(count("event=redis_down reason=\"") == 1);
    CHECK(count("event=redis_up outage_ms=") == 1);
    CHECK(log.find("event=redis_down") < log.find("event=redis_up"));
}

TEST_CASE("SIGTERM under load: answered requests are all recorded and the exit code is 0",
          "[integration][shutdown]") {
    bot_process bot(fixture_redis());
    const std::string user_prefix = unique("u_term");
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0}, server_errors{0};
    std::mutex m;
    std::map<std::string, int> per_user;
    std::vector<std::thread> senders;
    for (int t = 0; t < 8; ++t)
        senders.emplace_back([&, t] {
            const std::string user = user_prefix + "-" + std::to_string(t);
            try {
                daiban::bot::http::client c(bot.url(), 30000);
                while (!stop) {
                    auto res = post_hook(c, text_message(unique("m"), user, "你好").dump());
                    if (res.status == 200) {
                        ++answered;
                        std::lock_guard lock(m);
                        ++per_user[user];
                    } else {
                        ++server_errors;
                    }
                }
            } catch (const std::exception&) {
                // Refused once the server has stopped accepting: expected.
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    const int code = bot.stop(SIGTERM);
    stop = true;
    for (auto& t : senders)
        t.join();
    INFO("answered " << answered << ", errors " << server_errors);
    CHECK(code == 0);
    CHECK(server_errors == 0);
    CHECK(answered > 0);
    // Every message the bot answered 200 to was recorded exactly once.
    redis_reader redis(fixture_redis());
    for (const auto& [user, n] : per_user)
        CHECK(redis.hget("dbn:{demo}:conv:p:" + user, "turns") == std::to_string(n));
}

TEST_CASE("a resident writing Traditional Chinese is answered in Traditional",
          "[integration][hook]") {
    bot_process bot(fixture_redis());
    daiban::bot::http::client c(bot.url());
    auto j = parse(
        post_hook(c, text_message(unique("m"), unique("u_trad"), "你好，請問怎麼辦理").dump()));
    REQUIRE(j["replies"].size() >= 1);
    const auto text = j["replies"][0]["text"].get<std::string>();
    INFO(text);
    // 办/辦, 说/說: the help text in Traditional script.
    CHECK(text.find("辦") != std::string::npos);
    CHECK(text.find("办") == std::string::npos);
}
