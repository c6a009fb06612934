// Integration: 限时办结 → 催办 → 督办 and 回访 through the real server — a case opened before the
// National Day holiday, its owner reminded two working days before the due date, the township
// told when it is overdue and the county three working days later, each step once and in the
// case history; and the follow-up: one rating reminder two days after the case is done, nothing
// after that. Time moves with the test clock (DAIBAN_TEST_HOOKS builds).
#include "time_support.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace daiban::test;
using namespace daiban::test::timed;
using nlohmann::json;

#ifdef DAIBAN_TEST_HOOKS

namespace {

std::string said_to(const json& res, const std::string& chat) {
    std::string out;
    for (const auto& r : res["replies"])
        if (r["chat"]["id"] == chat) out += r["text"].get<std::string>() + "\n";
    return out;
}

std::string case_number(const std::string& text) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex("编号 ([0-9]+)"))) return m[1];
    if (std::regex_search(text, m, std::regex("#([0-9]+)"))) return m[1];
    return "";
}

std::vector<std::string> only(const std::vector<std::string>& lines, const std::string& part) {
    std::vector<std::string> out;
    for (const auto& l : lines)
        if (contains(l, part)) out.push_back(l);
    return out;
}

// Moves the bot's clock to 09:00:30 on a day and waits until the day's patrol has run.
void patrol_on(daiban::bot::http::client& c, const std::string& log, int y, int mo, int d) {
    set_bot_time(c, china(y, mo, d, 9, 0) + 30);
    const auto due = std::to_string(china(y, mo, d, 9, 0) * 1000);
    // The patrol's firing is named by its due time; wait for it to be settled.
    REQUIRE(wait_log(log, "id=deadline:patrol kind=deadline_patrol"));
    for (int i = 0; i < 100; ++i) {
        std::ifstream f(log);
        std::stringstream ss;
        ss << f.rdbuf();
        // After the firing the patrol is re-armed for the next 09:00.
        redis_cmd redis(fixture_redis());
        const auto next = redis.one({"ZSCORE", "dbn:{demo}:timers:due", "deadline:patrol"});
        if (!next.empty() && std::stoll(next) > std::stoll(due)) {
            // Shard threads write request and push lines in batches at most 100 ms apart
            // (bot/log.hpp); give the pushes of this patrol time to reach the file.
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    FAIL("the deadline patrol did not run on " << y << "-" << mo << "-" << d);
}

} // namespace

TEST_CASE(
    "a deadline across National Day: 催办 two working days before — 督办 township then county",
    "[integration][deadlines]") {
    {
        // The patrol is a standing timer of the tenant; earlier tests may have moved it into
        // December. This test starts its own September.
        redis_cmd redis(fixture_redis());
        redis.run({"ZREM", "dbn:{demo}:timers:due", "deadline:patrol"});
        redis.run({"DEL", "dbn:{demo}:timer:deadline:patrol"});
    }
    // Monday 2026-09-28, 10:00.
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 9, 28, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const auto lan = unique("u_lan");
    say(c, lan, "我是长梁村的");
    const auto opened = say(c, lan, "我妈住院了，想办民政二次救助");
    std::string all;
    for (const auto& t : opened)
        all += t;
    const auto n = case_number(all);
    INFO(all);
    REQUIRE(!n.empty());
    redis_cmd redis(fixture_redis());
    // 15 working days from 09-28 skip 10-01..10-07 and count the make-up Saturday 10-10.
    REQUIRE(redis.one({"HGET", "dbn:{demo}:case:" + n, "due"}) == "2026-10-23");

    const auto& log = bot.log_file();
    const std::string tag = "#" + n;
    // 10-20 (Tue): three working days before; nothing yet.
    patrol_on(c, log, 2026, 10, 20);
    CHECK(only(pushes_to(log, "u_agent_cl_1"), tag).empty());
    // 10-21 (Wed): two working days before: the owner is reminded, privately.
    patrol_on(c, log, 2026, 10, 21);
    auto owner = only(pushes_to(log, "u_agent_cl_1"), tag);
    REQUIRE(owner.size() == 1);
    CHECK(contains(owner[0], "催办"));
    CHECK(contains(owner[0], "10月23日到期"));
    // 10-22: not again.
    patrol_on(c, log, 2026, 10, 22);
    CHECK(only(pushes_to(log, "u_agent_cl_1"), tag).size() == 1);
    CHECK(only(pushes_to_group(log, "g_sj"), tag).empty());
    // 10-26 (Mon): overdue: the 四季镇 supervisor's group, @-mentioning the supervisor.
    patrol_on(c, log, 2026, 10, 26);
    auto township = only(pushes_to_group(log, "g_sj"), tag);
    REQUIRE(township.size() == 1);
    CHECK(contains(township[0], "督办"));
    CHECK(contains(township[0], "已超期"));
    CHECK(only(pushes_to_group(log, "g_county"), tag).empty());
    // 10-27: two working days past; the county waits for the third.
    patrol_on(c, log, 2026, 10, 27);
    CHECK(only(pushes_to_group(log, "g_county"), tag).empty());
    // 10-28 (Wed): three working days past the due date: the county group.
    patrol_on(c, log, 2026, 10, 28);
    auto county = only(pushes_to_group(log, "g_county"), tag);
    REQUIRE(county.size() == 1);
    CHECK(contains(county[0], "县级"));
    // 10-29: nothing repeats.
    patrol_on(c, log, 2026, 10, 29);
    CHECK(only(pushes_to_group(log, "g_sj"), tag).size() == 1);
    CHECK(only(pushes_to_group(log, "g_county"), tag).size() == 1);
    CHECK(only(pushes_to(log, "u_agent_cl_1"), tag).size() == 1);

    // Each step is in the case history.
    const auto history = redis.run({"LRANGE", "dbn:{demo}:case:" + n + ":history", "0", "-1"});
    std::string h;
    for (const auto& e : history)
        h += e + "\n";
    INFO(h);
    CHECK(contains(h, "deadline:soon"));
    CHECK(contains(h, "deadline:overdue"));
    CHECK(contains(h, "deadline:county"));
}

TEST_CASE("a paused case (补正) is not chased while it waits on the resident",
          "[integration][deadlines]") {
    {
        redis_cmd redis(fixture_redis());
        redis.run({"ZREM", "dbn:{demo}:timers:due", "deadline:patrol"});
        redis.run({"DEL", "dbn:{demo}:timer:deadline:patrol"});
    }
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 9, 28, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const auto lan = unique("u_lan");
    say(c, lan, "我是长梁村的");
    std::string all;
    for (const auto& t : say(c, lan, "我妈住院了，想办民政二次救助"))
        all += t;
    const auto n = case_number(all);
    REQUIRE(!n.empty());
    const std::string tag = "#" + n;
    // 10-20: the agent asks for a better invoice photo: the case waits on the resident.
    set_bot_time(c, china(2026, 10, 20, 10, 0));
    auto r = group_say(c, "g_cl", "u_agent_cl_1", "补正 " + n + " 发票 看不清");
    INFO(r.dump());
    redis_cmd redis(fixture_redis());
    REQUIRE(redis.one({"HGET", "dbn:{demo}:case:" + n, "status"}) == "returned");
    // While it waits, its old reminder day (10-21) and due date (10-23) pass without a word.
    patrol_on(c, bot.log_file(), 2026, 10, 21);
    patrol_on(c, bot.log_file(), 2026, 10, 26);
    CHECK(only(pushes_to(bot.log_file(), "u_agent_cl_1"), tag).empty());
    CHECK(only(pushes_to_group(bot.log_file(), "g_sj"), tag).empty());
    // (When the resident resends, the case handlers move the due date by the paused working
    // days; the patrol then follows the new date.)
    CHECK(redis.one({"HGET", "dbn:{demo}:case:" + n, "status"}) == "returned");
}

TEST_CASE("回访: one rating reminder two days after the case is done — nothing after that",
          "[integration][followup]") {
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 11, 2, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const auto lan = unique("u_rate");
    say(c, lan, "我是长梁村的");
    std::string all;
    for (const auto& t : say(c, lan, "我妈住院了，想办民政二次救助"))
        all += t;
    const auto n = case_number(all);
    REQUIRE(!n.empty());
    auto done = group_say(c, "g_cl", "u_agent_cl_1", "办结 " + n + " 救助金已到账");
    REQUIRE(contains(said_to(done, lan), "打个分"));
    redis_cmd redis(fixture_redis());
    const std::string timer = "case:" + n + ":followup";
    // Armed for two days after the case was done (10:00 and a few seconds of test time).
    const auto armed = redis.one({"ZSCORE", "dbn:{demo}:timers:due", timer});
    REQUIRE(!armed.empty());
    const auto two_days = (china(2026, 11, 2, 10, 0) + 2 * 86400) * 1000;
    CHECK(std::stoll(armed) >= two_days);
    CHECK(std::stoll(armed) < two_days + 60'000);
    // Two days later, no rating: one reminder.
    set_bot_time(c, china(2026, 11, 4, 10, 1));
    auto pushes = wait_pushes(bot.log_file(), lan, 1);
    REQUIRE(pushes.size() == 1);
    CHECK(contains(pushes[0], "还没给"));
    REQUIRE(wait_log(bot.log_file(), "id=" + timer + " kind=followup attempt=1 outcome=done"));
    // Nothing after that: no timer is left for this case.
    CHECK(redis.one({"EXISTS", "dbn:{demo}:timer:" + timer}) == "0");
    set_bot_time(c, china(2026, 11, 10, 10, 0));
    CHECK(redis.one({"ZSCORE", "dbn:{demo}:timers:due", timer}).empty());

    // A resident who rates in time gets no reminder.
    const auto quick = unique("u_rate");
    set_bot_time(c, china(2026, 11, 12, 10, 0));
    say(c, quick, "我是长梁村的");
    all.clear();
    for (const auto& t : say(c, quick, "我妈住院了，想办民政二次救助"))
        all += t;
    const auto m = case_number(all);
    REQUIRE(!m.empty());
    group_say(c, "g_cl", "u_agent_cl_1", "办结 " + m + " 已到账");
    REQUIRE(contains(say(c, quick, "5").at(0), "非常满意"));
    set_bot_time(c, china(2026, 11, 14, 10, 1));
    REQUIRE(wait_log(bot.log_file(),
                     "id=case:" + m + ":followup kind=followup attempt=1 outcome=done"));
    CHECK(pushes_to(bot.log_file(), quick).empty());
}

#endif
