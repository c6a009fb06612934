// Integration: turn claims on the fixture's redis-server (state/conversation_store) — what a
// resend finds after a crash between claim and commit. Only a committed turn is a duplicate; a
// claim whose owner is alive is in progress; one whose owner's lease is gone is taken over once.
#include "redis_session.hpp"
#include "state/conversation_store.hpp"
#include "state/keys.hpp"
#include "support.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

using namespace daiban;

namespace {
// Named, not literals: GCC 12 mishandles temporaries made inside co_await arguments.
const std::string u = "u1", m = "m1", conv = "p:u1", done = "1";
const std::string owner_a = "host:1:1000:aaaa", owner_b = "host:2:2000:bbbb",
                  owner_c = "host:3:3000:cccc";
} // namespace

TEST_CASE("a resend finds a dead owner's claim taken over, a live one's in progress, a committed "
          "one a duplicate",
          "[integration][claims]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        const auto t = test::fresh_tenant("claims");
        state::conversation_store a(conn, owner_a);
        state::conversation_store b(conn, owner_b);
        state::conversation_store c(conn, owner_c);

        co_await test::set_owner_lease(conn, t, owner_a, true);
        auto first = co_await a.begin(t, u, m, conv);
        REQUIRE(first.has_value());
        CHECK_FALSE(first->duplicate);
        CHECK_FALSE(first->in_progress);

        // A lives: B's resend must not run the message, nor call it done.
        auto while_alive = co_await b.begin(t, u, m, conv);
        REQUIRE(while_alive.has_value());
        CHECK(while_alive->in_progress);
        CHECK_FALSE(while_alive->duplicate);

        // A died (its lease lapsed): B takes the claim and runs the turn.
        co_await test::set_owner_lease(conn, t, owner_a, false);
        auto taken = co_await b.begin(t, u, m, conv);
        REQUIRE(taken.has_value());
        CHECK(taken->taken_over);
        CHECK_FALSE(taken->in_progress);
        CHECK_FALSE(taken->duplicate);

        // The claim is B's now; C (B alive) waits, and once B commits it is a duplicate.
        co_await test::set_owner_lease(conn, t, owner_b, true);
        auto racing = co_await c.begin(t, u, m, conv);
        REQUIRE(racing.has_value());
        CHECK(racing->in_progress);
        model::conversation after = taken->conversation;
        after.last_seen = 1;
        auto committed = co_await b.finish(t, u, m, conv, taken->conversation, after, done);
        REQUIRE(committed.has_value());
        CHECK(*committed == 1);
        auto dup = co_await c.begin(t, u, m, conv);
        REQUIRE(dup.has_value());
        CHECK(dup->duplicate);
        CHECK(dup->stored == "1");
        co_await test::set_owner_lease(conn, t, owner_b, false);
    });
}

TEST_CASE("a claim left by the same process's failed run is taken over by its resend",
          "[integration][claims]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        const auto t = test::fresh_tenant("claims");
        state::conversation_store a(conn, owner_a);
        co_await test::set_owner_lease(conn, t, owner_a, true);
        auto first = co_await a.begin(t, u, m, conv);
        REQUIRE(first.has_value());
        // The run ended without committing or releasing (Redis hiccup during abandon). The
        // conversation's lane serialises turns, so the same owner seeing its own claim knows no
        // run of its own is at work on it.
        auto again = co_await a.begin(t, u, m, conv);
        REQUIRE(again.has_value());
        CHECK(again->taken_over);
        co_await test::set_owner_lease(conn, t, owner_a, false);
    });
}

TEST_CASE("a claim released by a failed turn runs again on the resend", "[integration][claims]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        const auto t = test::fresh_tenant("claims");
        state::conversation_store a(conn, owner_a);
        state::conversation_store b(conn, owner_b);
        co_await test::set_owner_lease(conn, t, owner_a, true);
        auto first = co_await a.begin(t, u, m, conv);
        REQUIRE(first.has_value());
        co_await a.abandon(t, u, m);
        auto resend = co_await b.begin(t, u, m, conv);
        REQUIRE(resend.has_value());
        CHECK_FALSE(resend->in_progress);
        CHECK_FALSE(resend->duplicate);
        CHECK_FALSE(resend->taken_over); // a fresh claim: nothing was left behind
        co_await test::set_owner_lease(conn, t, owner_a, false);
    });
}
