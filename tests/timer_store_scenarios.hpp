// Test support, shared by unit and integration tests: the timer_store contract, written against
// the interface so the in-memory store (tests/unit/memory_stores_test.cpp) and the Redis one run
// the same scenarios (checked against Redis once; no integration test runs them yet): arming
// replaces by id and counts generations, cancelling counts what existed, claims come in due order
// with a lease, settling needs the claim's token, leases that run out come back with backoff and
// give up after max_attempts. The store under test must use `policy` below.
#pragma once

#include "state/timer_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

namespace daiban::test::timer_store_scenarios {

// Short numbers, so the backoff (100 ms, 200 ms, ...) and giving up (3 attempts) are reachable.
inline constexpr state::timer_policy policy{1000, 100, 3};

inline state::timer armed(std::string id, std::int64_t due_ms, std::string payload = "") {
    state::timer t;
    t.id = std::move(id);
    t.due_ms = due_ms;
    t.kind = "appt_eve";
    t.target = "u_test";
    t.channel = "hook";
    t.payload = std::move(payload);
    return t;
}

inline std::vector<std::string> ids_of(const std::vector<state::timer>& ts) {
    std::vector<std::string> out;
    for (const auto& t : ts)
        out.push_back(t.id);
    return out;
}

// Fresh tenant.
inline boost::asio::awaitable<void> arming_replaces_and_cancel_counts(state::timer_store& store,
                                                                      std::string tenant) {
    const auto first = armed("appt:1:eve", 10'000, "1");
    co_await store.schedule(tenant, first);
    auto found = co_await store.find(tenant, "appt:1:eve");
    REQUIRE(found.has_value());
    CHECK(found->id == "appt:1:eve");
    CHECK(found->due_ms == 10'000);
    CHECK(found->kind == "appt_eve");
    CHECK(found->target == "u_test");
    CHECK(found->channel == "hook");
    CHECK(found->payload == "1");
    CHECK(found->attempt == 0);
    const auto generation = found->generation;
    CHECK(generation > 0);

    const auto again = armed("appt:1:eve", 20'000, "2");
    co_await store.schedule(tenant, again);
    found = co_await store.find(tenant, "appt:1:eve");
    REQUIRE(found.has_value());
    CHECK(found->due_ms == 20'000);
    CHECK(found->payload == "2");
    CHECK(found->generation == generation + 1);
    auto early = co_await store.claim(tenant, 15'000, 10);
    CHECK(early.empty());

    const auto other = armed("appt:2:eve", 5'000);
    co_await store.schedule(tenant, other);
    std::vector<std::string> ids{"appt:1:eve", "appt:2:eve", "nope", "appt:1:eve"};
    auto cancelled = co_await store.cancel(tenant, std::move(ids));
    CHECK(cancelled == 2);
    found = co_await store.find(tenant, "appt:1:eve");
    CHECK_FALSE(found.has_value());
    auto none = co_await store.claim(tenant, 1'000'000'000, 10);
    CHECK(none.empty());
}

// Fresh tenant.
inline boost::asio::awaitable<void> claims_leases_and_settling(state::timer_store& store,
                                                               std::string tenant) {
    const std::vector<std::pair<std::string, std::int64_t>> plan{
        {"a", 100}, {"b", 300}, {"c", 200}, {"d", 10'000}};
    for (const auto& [id, due] : plan) {
        const auto t = armed(id, due, id);
        co_await store.schedule(tenant, t);
    }
    using ids = std::vector<std::string>;
    auto one = co_await store.claim(tenant, 250, 1);
    REQUIRE(ids_of(one) == ids{"a"});
    const auto a = one.front();
    CHECK(a.attempt == 1);
    CHECK(a.due_ms == 100);
    CHECK(a.payload == "a");
    CHECK(a.kind == "appt_eve");
    auto next = co_await store.claim(tenant, 250, 10);
    REQUIRE(ids_of(next) == ids{"c"});
    const auto c1 = next.front();
    auto b_claim = co_await store.claim(tenant, 300, 10);
    REQUIRE(ids_of(b_claim) == ids{"b"});
    const auto b1 = b_claim.front();

    auto done = co_await store.settle(tenant, a, true, 300);
    CHECK(done);
    auto gone = co_await store.find(tenant, "a");
    CHECK_FALSE(gone.has_value());
    auto twice = co_await store.settle(tenant, a, true, 300);
    CHECK_FALSE(twice);

    // A retry waits base * 2^(attempt-1): c is due again at 400 + 100.
    auto retry = co_await store.settle(tenant, c1, false, 400);
    CHECK(retry);
    auto not_yet = co_await store.claim(tenant, 499, 10);
    CHECK(not_yet.empty());
    auto c_again = co_await store.claim(tenant, 500, 10);
    REQUIRE(ids_of(c_again) == ids{"c"});
    CHECK(c_again.front().attempt == 2);
    CHECK(c_again.front().due_ms == 200);
    CHECK(c_again.front().generation == c1.generation);

    // Leases that ran out (b at 1300, c at 1500) come back with backoff: b at 1600, c at 1700.
    auto expired = co_await store.claim(tenant, 1'500, 10);
    CHECK(expired.empty());
    auto back = co_await store.claim(tenant, 1'700, 10);
    REQUIRE(ids_of(back) == ids{"b", "c"});
    const auto b2 = back[0];
    const auto c3 = back[1];
    CHECK(b2.attempt == 2);
    CHECK(c3.attempt == 3);
    auto stale = co_await store.settle(tenant, b1, true, 1'700);
    CHECK_FALSE(stale);

    // The last attempt failing gives up: c stays armed but is never claimed again.
    auto gave_up = co_await store.settle(tenant, c3, false, 1'800);
    CHECK(gave_up);
    auto late = co_await store.claim(tenant, 1'000'000'000, 10);
    CHECK(ids_of(late) == ids{"d"});
    auto dead = co_await store.find(tenant, "c");
    REQUIRE(dead.has_value());
    CHECK(dead->attempt == 3);

    // Re-arming starts over: a new generation, attempt 0, out of any lease.
    const auto rearmed = armed("c", 50, "c2");
    co_await store.schedule(tenant, rearmed);
    auto fresh = co_await store.find(tenant, "c");
    REQUIRE(fresh.has_value());
    CHECK(fresh->attempt == 0);
    CHECK(fresh->generation > c3.generation);
    auto both = co_await store.claim(tenant, 2'000'000'000, 10);
    REQUIRE(ids_of(both) == ids{"c", "b"});
    CHECK(both[0].attempt == 1);
    CHECK(both[0].payload == "c2");
    CHECK(both[1].attempt == 3);
    const auto b3 = both[1];
    const auto b_rearmed = armed("b", 5);
    co_await store.schedule(tenant, b_rearmed);
    auto superseded = co_await store.settle(tenant, b3, true, 2'000'000'000);
    CHECK_FALSE(superseded);
    auto still = co_await store.find(tenant, "b");
    CHECK(still.has_value());
}

} // namespace daiban::test::timer_store_scenarios
