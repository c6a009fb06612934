// Integration: durable timers and the outbox with replicas coming and going. Residents book on
// two replicas (A and B); A's clock passes their eve reminders and A is killed -9 at once (some
// firings claimed, some pushes queued or said but not yet marked sent, some turns holding their
// conversation's ticket); a new replica C starts. B and C take over what A left — expired firing
// leases, pending outbox entries, tickets of a dead owner — and every resident is told: each
// firing settled once, each reminder pushed under one idempotency key. (A push A had said but not
// yet marked sent when it died is said again under the same key: at least once, as the outbox
// promises; a receiver that deduplicates — bridge/ — says it once.)
#include "time_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <vector>

using namespace daiban::test;

#ifdef DAIBAN_TEST_HOOKS

using namespace daiban::test::timed;

namespace {

// Entries a dead worker left pending are taken over after a second (not the default minute).
const std::string quick_outbox = R"(,"outbox":{"claim_idle_ms":1000,"block_ms":200})";

// The pushes the log sink wrote to `user`, across every replica's log.
std::vector<std::string> pushes_across(const std::vector<const bot_process*>& bots,
                                       const std::string& user) {
    std::vector<std::string> all;
    for (const auto* b : bots)
        for (auto& p : pushes_to(b->log_file(), user))
            all.push_back(std::move(p));
    return all;
}

// A push line's idempotency key (" key=<k> ").
std::string key_of(const std::string& push_line) {
    const auto at = push_line.find(" key=");
    if (at == std::string::npos) return {};
    return push_line.substr(at + 5, push_line.find(' ', at + 5) - at - 5);
}

// Where each log ended before the test acted: a port (so a log file) may have served an earlier
// run, whose appointment numbers were the same.
std::map<std::string, std::streamoff> log_marks(const std::vector<const bot_process*>& bots) {
    std::map<std::string, std::streamoff> marks;
    for (const auto* b : bots) {
        std::ifstream f(b->log_file(), std::ios::ate);
        marks[b->log_file()] = f ? static_cast<std::streamoff>(f.tellg()) : 0;
    }
    return marks;
}

// How many replicas' logs say, after their marks, that the firing `timer_id` was done.
std::size_t settled_across(const std::map<std::string, std::streamoff>& marks,
                           const std::string& timer_id) {
    std::size_t n = 0;
    for (const auto& [path, from] : marks) {
        std::ifstream f(path);
        f.seekg(from);
        std::string line;
        while (std::getline(f, line))
            n += contains(line, "event=timer_fired ") && contains(line, " id=" + timer_id + " ") &&
                 contains(line, " outcome=done");
    }
    return n;
}

} // namespace

TEST_CASE("with replicas killed and started, every reminder is said exactly once",
          "[integration][replicas][timers]") {
    const auto start = china(2026, 12, 7, 10, 0); // Monday
    const std::vector<std::string> env{now_env(start)};
    auto a = std::make_unique<bot_process>(fixture_redis(), true, "", quick_outbox, "", env);
    bot_process b(fixture_redis(), true, "", quick_outbox, "", env);
    daiban::bot::http::client ca(a->url()), cb(b.url());
    auto marks = log_marks({a.get(), &b});

    // Four residents book Thursday 12-10 on one replica or the other; each booking arms an eve
    // reminder (12-09 18:00) in Redis.
    // (Four different slots: a second run on the same Redis still finds each one free.)
    const std::vector<std::string> asks{
        "12月10日上午9点去办医疗报销", "12月10日上午10点去办医疗报销",
        "12月10日上午11点去办医疗报销", "12月10日下午2点去办医疗报销"};
    std::vector<std::string> users, ids;
    redis_cmd redis(fixture_redis());
    for (std::size_t i = 0; i < asks.size(); ++i) {
        auto& via = i % 2 == 0 ? ca : cb;
        const auto user = unique("u_replica_timer");
        REQUIRE(contains(say(via, user, asks[i]).at(0), "12月10日（周四）"));
        REQUIRE(contains(say(via, user, "2").at(0), "预约好了"));
        users.push_back(user);
        ids.push_back(redis.one({"SRANDMEMBER", "dbn:{demo}:appt:mine:" + user}));
        REQUIRE(!ids.back().empty());
    }

    // A's clock passes the reminders and A dies mid-work; C comes up; B and C's clocks are past
    // the firing leases A held.
    set_bot_time(ca, china(2026, 12, 9, 18, 5));
    // (A's worker polls every 250 ms: killed within that, A has done some, all or none.)
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(a->stop(SIGKILL) == 128 + SIGKILL);
    bot_process c(fixture_redis(), true, "", quick_outbox, "",
                  {now_env(china(2026, 12, 9, 18, 7))});
    marks.merge(log_marks({&c}));
    set_bot_time(cb, china(2026, 12, 9, 18, 7));

    // A firing whose lease ran out goes back to due with a backoff (5 s on the bots' clocks,
    // which stand still in tests): move them on once the survivors have seen the leases.
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    daiban::bot::http::client cc(c.url());
    set_bot_time(cb, china(2026, 12, 9, 18, 9));
    set_bot_time(cc, china(2026, 12, 9, 18, 9));

    const std::vector<const bot_process*> all{a.get(), &b, &c};
    auto all_done = [&] {
        for (std::size_t i = 0; i < users.size(); ++i)
            if (pushes_across(all, users[i]).empty() ||
                redis.one({"EXISTS", "dbn:{demo}:timer:appt:" + ids[i] + ":eve"}) != "0")
                return false;
        return true;
    };
    for (int i = 0; i < 150 && !all_done(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // Long enough for a second firing or a stray push to show.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    std::size_t said = 0, by_a = 0;
    for (std::size_t i = 0; i < users.size(); ++i) {
        INFO(users[i] << " (appointment " << ids[i] << ")");
        const auto pushes = pushes_across(all, users[i]);
        REQUIRE_FALSE(pushes.empty());
        std::set<std::string> keys;
        for (const auto& p : pushes)
            keys.insert(key_of(p));
        CHECK(keys.size() == 1); // one reminder: a repeat carries the first one's key
        CHECK(contains(pushes.front(), "提醒：您明天"));
        said += pushes.size();
        by_a += pushes_to(a->log_file(), users[i]).size();
        // The firing is settled once (the timer gone); the hour-before reminder still waits.
        CHECK(settled_across(marks, "appt:" + ids[i] + ":eve") == 1);
        CHECK(redis.one({"EXISTS", "dbn:{demo}:timer:appt:" + ids[i] + ":eve"}) == "0");
        CHECK(redis.one({"EXISTS", "dbn:{demo}:timer:appt:" + ids[i] + ":hour"}) == "1");
    }
    WARN(users.size() << " reminders: " << said << " pushes said (" << by_a
                      << " by A before it died), " << said - users.size()
                      << " repeated under the same key after A died between saying and marking");
}

#endif
