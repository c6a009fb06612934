// Integration: a conversation's turn queue on the fixture's redis-server (state/turn_queue with
// state/conversation_store and bot/dialogue/turn_order), as three replicas' deliveries of one
// resident's messages see it: tickets in the order taken, the record passing the ticket on and
// waking the next, a turn passed over that can no longer record, a waiter that passes a dead
// replica's ticket, and one that waits for a live replica's turn and sees what it recorded.
#include "bot/dialogue/turn_order.hpp"
#include "redis_session.hpp"
#include "state/conversation_store.hpp"
#include "state/keys.hpp"
#include "state/turn_queue.hpp"
#include "support.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

using namespace daiban;

namespace {
// Named, not literals: GCC 12 mishandles temporaries made inside co_await arguments.
const std::string u = "u1", conv = "p:u1", m1 = "m1", m2 = "m2", m3 = "m3", m4 = "m4", stored = "1";
const std::string llen = "LLEN", exists = "EXISTS", ttl = "TTL";
const std::string owner_a = "host:1:1000:aaaa", owner_b = "host:2:2000:bbbb",
                  owner_c = "host:3:3000:cccc";

// An integer reply (LLEN, EXISTS, TTL) of `name key`.
boost::asio::awaitable<long long>
integer(state::redis::connection& conn, const std::string& name, const std::string& key) {
    state::redis::command cmd{name, key};
    auto r = co_await conn.exec(std::move(cmd));
    REQUIRE(r.has_value());
    REQUIRE(r->as_integer().has_value());
    co_return *r->as_integer();
}
} // namespace

TEST_CASE("one conversation's tickets run in the order taken, the record passes the ticket on, a "
          "turn passed over cannot record",
          "[integration][turn_queue]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        const auto t = test::fresh_tenant("turnq");
        state::conversation_store a(conn, owner_a), b(conn, owner_b), c(conn, owner_c);
        state::turn_queue queue(conn);

        // Three replicas claim three messages of one resident: tickets 1, 2, 3; 1 runs.
        auto ca = co_await a.begin(t, u, m1, conv);
        auto cb = co_await b.begin(t, u, m2, conv);
        auto cc = co_await c.begin(t, u, m3, conv);
        REQUIRE((ca && cb && cc));
        CHECK(ca->ticket.ticket == 1);
        CHECK(ca->ticket.mine());
        CHECK(cb->ticket.ticket == 2);
        CHECK(cb->ticket.serving == 1);
        CHECK_FALSE(cb->ticket.mine());
        CHECK(cc->ticket.ticket == 3);
        auto seen = co_await queue.look(t, conv, 2);
        REQUIRE(seen.has_value());
        CHECK(seen->serving == 1);
        CHECK(seen->serving_owner == owner_a);

        // A records its turn: the ticket passes to B, whose waiter is woken.
        model::conversation after = ca->conversation;
        after.last_seen = 100;
        after.village = "changliang";
        auto turns =
            co_await a.finish(t, u, m1, conv, ca->conversation, after, stored, ca->ticket.ticket);
        CHECK(turns.value() == 1);
        const auto wake2 = state::keys::turn_wake(t, conv, 2);
        const auto woken = co_await integer(conn, llen, wake2);
        CHECK(woken == 1);
        seen = co_await queue.look(t, conv, 2);
        REQUIRE(seen.has_value());
        CHECK(seen->mine());
        CHECK(seen->serving_owner == owner_b);

        // B stalls; C's waiter passes it over. Passing it twice does nothing, and B's record is
        // refused: C's turn may run now, and B must not overwrite it.
        auto passed = co_await queue.pass(t, conv, 2);
        CHECK(passed.value());
        auto again = co_await queue.pass(t, conv, 2);
        CHECK_FALSE(again.value());
        auto late =
            co_await b.finish(t, u, m2, conv, cb->conversation, after, stored, cb->ticket.ticket);
        REQUIRE_FALSE(late.has_value());
        CHECK(late.error() == state::errc::turn_fenced);

        // C's turn is served and records; nothing is left queued, and the queue expires.
        seen = co_await queue.look(t, conv, 3);
        REQUIRE(seen.has_value());
        CHECK(seen->mine());
        auto c_turns =
            co_await c.finish(t, u, m3, conv, cc->conversation, after, stored, cc->ticket.ticket);
        CHECK(c_turns.value() == 2);
        const auto owners = state::keys::turn_owners(t, conv);
        const auto queued = co_await integer(conn, exists, owners);
        CHECK(queued == 0);
        const auto queue_key = state::keys::turn_queue(t, conv);
        const auto expires = co_await integer(conn, ttl, queue_key);
        CHECK(expires > 0);
        const auto wake4 = state::keys::turn_wake(t, conv, 4);
        const auto nobody = co_await integer(conn, llen, wake4);
        CHECK(nobody == 0);

        // The next message finds nobody ahead.
        auto next = co_await a.begin(t, u, m4, conv);
        REQUIRE(next.has_value());
        CHECK(next->ticket.ticket == 4);
        CHECK(next->ticket.mine());
    });
}

TEST_CASE("a waiter passes the ticket of a replica that died, and waits for a live one's turn and "
          "sees what that turn recorded",
          "[integration][turn_queue]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        const auto t = test::fresh_tenant("turnq");
        state::redis::config blocking;
        blocking.address = test::fixture_redis();
        state::conversation_store a(conn, owner_a), b(conn, owner_b);
        bot::dialogue::turn_order order_b(blocking, owner_b);

        // A claims and dies (no lease): B, behind it, passes its ticket and runs.
        auto ca = co_await a.begin(t, u, m1, conv);
        auto cb = co_await b.begin(t, u, m2, conv);
        REQUIRE((ca && cb));
        REQUIRE_FALSE(cb->ticket.mine());
        auto waited = co_await order_b.wait_turn(conn, t, conv, cb->ticket);
        CHECK_FALSE(waited);
        model::conversation after = cb->conversation;
        after.last_seen = 200;
        auto b_turns =
            co_await b.finish(t, u, m2, conv, cb->conversation, after, stored, cb->ticket.ticket);
        CHECK(b_turns.value() == 1);

        // A lives (its lease renewed) and records 300 ms later: B waits, woken by A's record,
        // and looking again sees the village A's turn learned.
        co_await test::set_owner_lease(conn, t, owner_a, true);
        auto ca2 = co_await a.begin(t, u, m3, conv);
        auto cb2 = co_await b.begin(t, u, m4, conv);
        REQUIRE((ca2 && cb2));
        REQUIRE(ca2->ticket.mine());
        REQUIRE_FALSE(cb2->ticket.mine());
        const auto ex = co_await boost::asio::this_coro::executor;
        bool a_recorded = false;
        boost::asio::co_spawn(
            ex,
            [&]() -> boost::asio::awaitable<void> {
                boost::asio::steady_timer pause(ex, std::chrono::milliseconds(300));
                co_await pause.async_wait(boost::asio::use_awaitable);
                model::conversation changed = ca2->conversation;
                changed.village = "changliang";
                auto r = co_await a.finish(t, u, m3, conv, ca2->conversation, changed, stored,
                                           ca2->ticket.ticket);
                CHECK(r.value() == 2);
                a_recorded = true;
            },
            boost::asio::detached);
        auto waited2 = co_await order_b.wait_turn(conn, t, conv, cb2->ticket);
        CHECK_FALSE(waited2);
        CHECK(a_recorded);
        auto looked = co_await b.look_again(t, u, m4, conv, *cb2);
        CHECK_FALSE(looked);
        CHECK(cb2->ours());
        CHECK(cb2->conversation.village == "changliang");
    });
}
