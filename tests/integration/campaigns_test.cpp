// Integration: a land-insurance collection ("一户不漏", seed 000) end to end through the real
// server (JSON hook), a real Redis and the timer worker: 李春生 starts it in 黄花岭村's group;
// each household with an account is asked in its own chat (a durable timer firing in their
// conversation, its push in the bot's log); 王德福 answers "已交", 刘玉兰 "交了57.3元"; 张国强
// stays silent, and 进度 names him under his contact cadre. Time is the test clock (a
// DAIBAN_TEST_HOOKS build), so the deadline is always ahead.
#include "resident_hook.hpp"
#include "time_support.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace daiban::test;
using nlohmann::json;

#ifdef DAIBAN_TEST_HOOKS

namespace {

std::string campaign_number(const std::string& text) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex("#([0-9]+)"))) return m[1];
    return "";
}

} // namespace

TEST_CASE("land insurance: households answer in their own chats and 进度 names the silent one",
          "[integration][campaigns]") {
    // Tuesday 1 December 2026, 10:00 in Faku.
    bot_process bot(fixture_redis(), true, "", "", "",
                    {timed::now_env(timed::china(2026, 12, 1, 10, 0))});
    daiban::bot::http::client clock(bot.url());
    hook h(bot);
    // Messages stamped with the bot's clock (the hook's replay window reads it).
    auto send = [&](json body) {
        body["time"] = timed::bot_now_ms(clock) / 1000;
        return h.send(body);
    };
    auto text = [&](const person& from, const std::string& t) {
        return send(merged(hook::base(from, "private", from.id, "text"), json{{"text", t}}));
    };
    const person wang{"u_hhl_wang_defu", "王德福"};
    const person liu{"u_hhl_liu_yulan", "刘玉兰"};
    const person zhang{"u_hhl_zhang_guoqiang", "张国强"};

    auto r =
        send(hook::group_body("g_hhl", agent_hhl_1, "发起收缴 土地保险 截止12月20日 每亩5.73元"));
    const auto started = said_to(r, "g_hhl");
    INFO(started);
    const auto n = campaign_number(started);
    REQUIRE(!n.empty());
    CHECK(has(started, "「土地保险」已发起"));
    CHECK(has(started, "截止12月20日"));
    CHECK(has(started, "赵长山")); // no account: a visit or a call
    CHECK_FALSE(has(started, "13842111205"));
    CHECK(has(said_to(r, agent_hhl_2.id), "赵长山 13842111205"));

    // The notices arrive through the timer worker and the outbox.
    for (const auto* p : {&wang, &liu, &zhang}) {
        const auto pushes = timed::wait_pushes(bot.log_file(), p->id, 1);
        REQUIRE_FALSE(pushes.empty());
        CHECK(timed::contains(pushes.back(), "土地保险"));
    }

    r = text(wang, "已交");
    CHECK(has(said_to(r, wang.id), "已记下您家“土地保险”已交"));
    r = text(liu, "交了57.3元");
    CHECK(has(said_to(r, liu.id), "57.3元"));

    timed::redis_cmd redis(fixture_redis());
    const auto done_key = "dbn:{demo}:campaign:" + n + ":done";
    CHECK(has(redis.one({"HGET", done_key, "hhl_liu_yulan"}), "57.3"));
    CHECK_FALSE(redis.one({"HGET", done_key, "hhl_wang_defu"}).empty());
    CHECK(redis.one({"HGET", done_key, "hhl_zhang_guoqiang"}).empty());

    r = send(hook::group_body("g_hhl", agent_hhl_2, "进度 " + n));
    const auto progress = said_to(r, "g_hhl");
    INFO(progress);
    CHECK(has(progress, "收缴 #" + n + "「土地保险」进度"));
    CHECK(has(progress, "孙桂芝联系：已交 刘玉兰（57.3元）；未交 张国强、赵长山（无微信）"));
    CHECK(has(progress, "王德福"));
}

#endif
