// Integration: time-driven behaviour through the real server and a real Redis — appointments
// (offers, the race on the last seat, reschedule, cancel), reminders fired by durable timers,
// and timers surviving kill -9. Time is moved with the test-only clock (DAIBAN_TEST_NOW at
// start-up, POST /test/clock), never slept through; the tests need a DAIBAN_TEST_HOOKS build
// (the `dev` preset) and say so otherwise. Pushes are read from the bot's log until the outbox
// delivers them (bot/outbound/log_sink).
#include "model/civil_date.hpp"
#include "time_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>

using namespace daiban::test;
using nlohmann::json;

#ifdef DAIBAN_TEST_HOOKS

using namespace daiban::test::timed;

TEST_CASE("a resident books the nearest slot and sees office — originals and missing materials",
          "[integration][appointments]") {
    // Tuesday 2026-12-01 10:00 in Faku.
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 12, 1, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const auto user = unique("u_book");

    auto offer = say(c, user, "12月2日上午9点去镇上办医疗报销，能预约吗");
    REQUIRE(offer.size() == 1);
    INFO(offer[0]);
    CHECK(contains(offer[0], "1. 12月2日（周三）上午08:30"));
    CHECK(contains(offer[0], "2. 12月2日（周三）上午09:00"));
    CHECK(contains(offer[0], "3. 12月2日（周三）上午09:30"));

    auto booked = say(c, user, "2");
    REQUIRE(booked.size() == 1);
    INFO(booked[0]);
    CHECK(contains(booked[0], "预约好了"));
    CHECK(contains(booked[0], "12月2日（周三）上午09:00"));
    CHECK(contains(booked[0], "法库镇便民服务中心"));
    CHECK(contains(booked[0], "法库镇黄花岭路18号"));
    CHECK(contains(booked[0], "医疗费用发票")); // an original to bring
    CHECK(contains(booked[0], "还缺"));
    CHECK(contains(booked[0], "居民身份证")); // still to send

    // A second booking for the same matter is not taken; the first is named.
    auto again = say(c, user, "预约12月3日上午办医疗报销");
    REQUIRE(again.size() == 1);
    CHECK(contains(again[0], "您已经约了12月2日（周三）上午09:00"));
}

TEST_CASE("a holiday and a time outside opening get the nearest alternatives — never an error",
          "[integration][appointments]") {
    // Wednesday 2026-09-30 16:00, the eve of the National Day holiday (10-01..10-07).
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 9, 30, 16, 0))});
    daiban::bot::http::client c(bot.url());
    auto holiday = say(c, unique("u_alt"), "10月3日上午去办医疗报销");
    REQUIRE(holiday.size() == 1);
    INFO(holiday[0]);
    CHECK(contains(holiday[0], "不办公（国庆节）"));
    // Today's last slot and the first ones after the holiday; 16:00 has already begun.
    CHECK(contains(holiday[0], "1. 9月30日（周三）下午16:30"));
    CHECK(contains(holiday[0], "2. 10月8日（周四）上午08:30"));
    CHECK(!contains(holiday[0], "16:00"));

    auto evening = say(c, unique("u_alt"), "10月12日晚上8点去办医疗报销");
    REQUIRE(evening.size() == 1);
    INFO(evening[0]);
    CHECK(contains(evening[0], "不在办公时间内（08:30-11:30、13:30-17:00）"));
    CHECK(contains(evening[0], "10月12日（周一）下午16:30"));

    auto past = say(c, unique("u_alt"), "9月29日上午去办医疗报销");
    REQUIRE(past.size() == 1);
    INFO(past[0]);
    CHECK(contains(past[0], "已经过去了"));
    CHECK(contains(past[0], "9月30日（周三）下午16:30"));
}

TEST_CASE("fifty residents picking the last seat at once: exactly one gets it",
          "[integration][appointments][race]") {
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 12, 7, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const std::string ask = "12月9日上午9点去办医疗报销";
    // Two of the three seats of Wednesday 09:00 go first.
    for (int i = 0; i < 2; ++i) {
        const auto u = unique("u_seat");
        REQUIRE(contains(say(c, u, ask).at(0), "2. 12月9日（周三）上午09:00"));
        REQUIRE(contains(say(c, u, "2").at(0), "预约好了"));
    }
    // Fifty residents are offered the last seat...
    std::vector<std::string> users;
    for (int i = 0; i < 50; ++i) {
        users.push_back(unique("u_race"));
        REQUIRE(contains(say(c, users.back(), ask).at(0), "2. 12月9日（周三）上午09:00"));
    }
    // ...and all pick it at the same moment.
    std::atomic<int> booked{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    std::atomic<bool> go{false};
    for (const auto& u : users)
        threads.emplace_back([&, u] {
            daiban::bot::http::client mine(bot.url());
            auto msg = text_message(unique("m"), u, "2");
            msg["time"] = bot_now_ms(mine) / 1000;
            const auto body = msg.dump();
            while (!go.load())
                std::this_thread::yield();
            auto res = post_hook(mine, body);
            auto j = json::parse(res.body, nullptr, false);
            const std::string text =
                res.status == 200 && j["replies"].size() == 1 ? j["replies"][0]["text"] : "";
            if (contains(text, "预约好了"))
                ++booked;
            else if (contains(text, "刚刚被约满"))
                ++refused;
            else
                ++other;
        });
    go.store(true);
    for (auto& t : threads)
        t.join();
    CHECK(booked.load() == 1);
    CHECK(refused.load() == 49);
    CHECK(other.load() == 0);
    redis_cmd redis(fixture_redis());
    CHECK(redis.one({"HGET", "dbn:{demo}:appt:taken:town_fk:2026-12-09", "09:00"}) == "3");
    CHECK(redis.run({"ZRANGEBYSCORE", "dbn:{demo}:appt:day:2026-12-09", "540", "540"}).size() == 3);
}

TEST_CASE("reminders follow a reschedule and stop after a cancel", "[integration][reminders]") {
    const auto start = china(2026, 12, 14, 10, 0); // Monday
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(start)});
    daiban::bot::http::client c(bot.url());
    redis_cmd redis(fixture_redis());

    // Booked for Wednesday 12-16 10:00, moved to Thursday 12-17 10:00.
    const auto mover = unique("u_move");
    REQUIRE(contains(say(c, mover, "12月16日上午10点去办医疗报销").at(0),
                     "2. 12月16日（周三）上午10:00"));
    REQUIRE(contains(say(c, mover, "2").at(0), "预约好了"));
    const auto id = redis.one({"SRANDMEMBER", "dbn:{demo}:appt:mine:" + mover});
    REQUIRE(!id.empty());
    auto moved_offer = say(c, mover, "我想改约到12月17日上午10点");
    REQUIRE(moved_offer.size() == 1);
    INFO(moved_offer[0]);
    REQUIRE(contains(moved_offer[0], "2. 12月17日（周四）上午10:00"));
    auto moved = say(c, mover, "2");
    REQUIRE(contains(moved.at(0), "改好了"));
    // The seat of the old slot is free again.
    CHECK(redis.one({"HGET", "dbn:{demo}:appt:taken:town_fk:2026-12-16", "10:00"}) == "0");
    // The evening reminder now waits for 12-16 18:00 (the eve of the new day), not 12-15.
    CHECK(redis.one({"ZSCORE", "dbn:{demo}:timers:due", "appt:" + id + ":eve"}) ==
          std::to_string(china(2026, 12, 16, 18, 0) * 1000));

    // Booked and cancelled: no reminder is left armed.
    const auto canceller = unique("u_cancel");
    REQUIRE(contains(say(c, canceller, "12月16日上午10点去办医疗报销").at(0), "上午10:00"));
    REQUIRE(contains(say(c, canceller, "2").at(0), "预约好了"));
    const auto cid = redis.one({"SRANDMEMBER", "dbn:{demo}:appt:mine:" + canceller});
    REQUIRE(!cid.empty());
    REQUIRE(redis.one({"ZSCORE", "dbn:{demo}:timers:due", "appt:" + cid + ":eve"}) != "");
    REQUIRE(contains(say(c, canceller, "取消预约").at(0), "已取消"));
    CHECK(redis.one({"ZSCORE", "dbn:{demo}:timers:due", "appt:" + cid + ":eve"}).empty());
    CHECK(redis.one({"EXISTS", "dbn:{demo}:timer:appt:" + cid + ":hour"}) == "0");

    // A reminder armed for the old slot that survived somehow (say, a crash between the move and
    // the re-arming) must stay silent: it checks its booking before it speaks.
    const std::string stale = "appt:" + id + ":stale";
    redis.run({"HSET", "dbn:{demo}:timer:" + stale, "kind", "appt_eve", "target", mover, "channel",
               "hook", "payload", id + "|town_fk|2026-12-16|10:00", "due",
               std::to_string(china(2026, 12, 15, 18, 0) * 1000), "attempts", "0", "gen", "1"});
    redis.run({"ZADD", "dbn:{demo}:timers:due", std::to_string(china(2026, 12, 15, 18, 0) * 1000),
               stale});

    // The old day's evening passes: nobody is reminded.
    set_bot_time(c, china(2026, 12, 15, 18, 0) + 30);
    REQUIRE(
        wait_log(bot.log_file(), "id=" + stale + " kind=appt_eve attempt=1 outcome=done pushes=0"));
    CHECK(pushes_to(bot.log_file(), mover).empty());
    // The new day's evening: the mover is reminded once, of the new time.
    set_bot_time(c, china(2026, 12, 16, 18, 0) + 30);
    auto pushes = wait_pushes(bot.log_file(), mover, 1);
    REQUIRE(pushes.size() == 1);
    CHECK(contains(pushes[0], "明天上午10:00"));
    CHECK(pushes_to(bot.log_file(), canceller).empty());
    // Its one-hour reminder comes at 09:00 on the day.
    set_bot_time(c, china(2026, 12, 17, 9, 0) + 30);
    pushes = wait_pushes(bot.log_file(), mover, 2);
    REQUIRE(pushes.size() == 2);
    CHECK(contains(pushes[1], "一小时后（10:00）"));
    CHECK(pushes_to(bot.log_file(), canceller).empty());
}

TEST_CASE("a timer survives kill -9 of the bot and fires once after the restart",
          "[integration][timers]") {
    const auto start = china(2026, 12, 21, 10, 0); // Monday
    const auto user = unique("u_restart");
    std::string id;
    {
        bot_process bot(fixture_redis(), true, "", "", "", {now_env(start)});
        daiban::bot::http::client c(bot.url());
        REQUIRE(contains(say(c, user, "12月23日上午10点去办医疗报销").at(0), "上午10:00"));
        REQUIRE(contains(say(c, user, "2").at(0), "预约好了"));
        redis_cmd redis(fixture_redis());
        id = redis.one({"SRANDMEMBER", "dbn:{demo}:appt:mine:" + user});
        REQUIRE(!id.empty());
        CHECK(bot.stop(SIGKILL) == 128 + SIGKILL);
    }
    // Restarted after the reminder's time (12-22 18:00): it fires, once.
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 12, 22, 18, 5))});
    auto pushes = wait_pushes(bot.log_file(), user, 1);
    REQUIRE(pushes.size() == 1);
    CHECK(contains(pushes[0], "提醒：您明天上午10:00"));
    REQUIRE(
        wait_log(bot.log_file(), "id=appt:" + id + ":eve kind=appt_eve attempt=1 outcome=done"));
    redis_cmd redis(fixture_redis());
    CHECK(redis.one({"EXISTS", "dbn:{demo}:timer:appt:" + id + ":eve"}) == "0");
    // The one-hour reminder is still armed for 12-23 09:00.
    CHECK(redis.one({"ZSCORE", "dbn:{demo}:timers:due", "appt:" + id + ":hour"}) ==
          std::to_string(china(2026, 12, 23, 9, 0) * 1000));
    CHECK(pushes_to(bot.log_file(), user).size() == 1);
}

TEST_CASE("agents see the day's bookings", "[integration][appointments]") {
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 12, 28, 8, 0))});
    daiban::bot::http::client c(bot.url());
    const auto user = unique("u_day");
    REQUIRE(contains(say(c, user, "今天上午10点去办医疗报销").at(0), "上午10:00"));
    REQUIRE(contains(say(c, user, "2").at(0), "预约好了"));
    auto list = say(c, "u_agent_hhl_1", "预约 今天");
    REQUIRE(list.size() == 1);
    INFO(list[0]);
    CHECK(contains(list[0], "12月28日"));
    CHECK(contains(list[0], "10:00"));
    // Agents read the resident's name, never a platform id.
    CHECK(contains(list[0], "居民测试居民"));
    CHECK(!contains(list[0], user));
}

#else

TEST_CASE("time-driven tests need a DAIBAN_TEST_HOOKS build", "[integration][timers]") {
    WARN("built without DAIBAN_TEST_HOOKS (use the dev preset): time-driven tests skipped");
}

#endif

#ifdef DAIBAN_TEST_HOOKS
TEST_CASE(
    "a firing that died mid-flight comes back after its lease — with backoff — and fires once",
    "[integration][timers]") {
    const auto start = china(2027, 1, 4, 10, 0);
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(start)});
    daiban::bot::http::client c(bot.url());
    const auto user = unique("u_lease");
    REQUIRE(contains(say(c, user, "1月6日上午10点去办医疗报销").at(0), "上午10:00"));
    REQUIRE(contains(say(c, user, "2").at(0), "预约好了"));
    redis_cmd redis(fixture_redis());
    const auto id = redis.one({"SRANDMEMBER", "dbn:{demo}:appt:mine:" + user});
    REQUIRE(!id.empty());
    // As if a replica had claimed the evening reminder and been killed before settling it: the
    // timer sits in flight, its lease ending at 01-05 18:00:10, one attempt spent.
    const std::string timer = "appt:" + id + ":eve";
    const auto lease_end = (china(2027, 1, 5, 18, 0) + 10) * 1000;
    redis.run({"ZREM", "dbn:{demo}:timers:due", timer});
    redis.run({"ZADD", "dbn:{demo}:timers:inflight", std::to_string(lease_end), timer});
    redis.run({"HSET", "dbn:{demo}:timer:" + timer, "attempts", "1"});
    // After the lease: back to due with backoff (5 s for a first retry), then fired, once.
    set_bot_time(c, china(2027, 1, 5, 18, 0) + 11);
    set_bot_time(c, china(2027, 1, 5, 18, 0) + 20);
    // (Whichever tick saw the expired lease, the retry is due at most 5 s after it.)
    REQUIRE(wait_log(bot.log_file(), "id=" + timer + " kind=appt_eve attempt=2 outcome=done"));
    auto pushes = wait_pushes(bot.log_file(), user, 1);
    REQUIRE(pushes.size() == 1);
    CHECK(contains(pushes[0], "明天上午10:00"));
    CHECK(redis.one({"EXISTS", "dbn:{demo}:timer:" + timer}) == "0");
}

TEST_CASE("a resident with one open case books without naming the item again",
          "[integration][appointments]") {
    // Tuesday 2026-12-01 10:00 in Faku.
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 12, 1, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const auto user = unique("u_sole");
    say(c, user, "我是黄花岭村的");
    say(c, user, "我想办低保");
    const auto all = say_all(c, user, "明天上午去镇上办");
    INFO(all);
    CHECK(contains(all, "最低生活保障"));
    CHECK(contains(all, "1. 12月2日（周三）上午08:30"));
}

TEST_CASE("asked how an item is done, a resident books a time for it without naming it again",
          "[integration][appointments]") {
    // Tuesday 2026-12-01 10:00 in Faku.
    bot_process bot(fixture_redis(), true, "", "", "", {now_env(china(2026, 12, 1, 10, 0))});
    daiban::bot::http::client c(bot.url());
    const auto user = unique("u_topic");
    say(c, user, "我是黄花岭村的");
    say(c, user, "养老金认证怎么弄");
    // Voice input: no punctuation.
    const auto all = say_all(c, user, "我想约个时间去办明天上午行不行");
    INFO(all);
    CHECK_FALSE(contains(all, "您想预约办哪件事"));
    CHECK(contains(all, "养老金"));
    CHECK(contains(all, "1. 12月2日（周三）上午08:30"));
    CHECK_FALSE(contains(all, "预约好了")); // offered, not booked on a guess
}
#endif
