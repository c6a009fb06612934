// Integration: the ticket store on the fixture's redis-server runs the ticket_store contract
// (tests/ticket_store_scenarios.hpp) that its in-memory twin runs in the unit tests, and two
// acknowledgements racing on one connection pipeline record exactly one.
#include "redis_session.hpp"
#include "state/ticket_store.hpp"
#include "support.hpp"
#include "tests/ticket_store_scenarios.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>

using namespace daiban;

namespace {

std::string fresh_tenant(const char* what) {
    static int n = 0;
    return std::string("tickets-") + what + "-" + std::to_string(getpid()) + "-" +
           std::to_string(++n);
}

} // namespace

TEST_CASE(
    "ticket_store on Redis: numbers and retries and guarded changes and photos and the open index",
    "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_ticket_store store(conn);
        co_await test::ticket_store_scenarios::lifecycle(store, fresh_tenant("life"));
    });
}

TEST_CASE("ticket_store on Redis: of two acknowledgements sent at once exactly one wins",
          "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_ticket_store store(conn);
        const auto tenant = fresh_tenant("race");
        const auto req = test::ticket_store_scenarios::report(tenant, "m1");
        const auto opened = co_await store.open(req);
        auto ack = [&](std::string who) -> boost::asio::awaitable<state::ticket_change_result> {
            state::ticket_change c;
            c.from = {state::ticket_status::open};
            c.to = state::ticket_status::acknowledged;
            c.fields = {{"acknowledged_by", who}};
            c.event = {req.now, who, "acknowledged", ""};
            co_return co_await store.change(tenant, opened.number, c);
        };
        using namespace boost::asio::experimental::awaitable_operators;
        auto [x, y] = co_await (ack("a_hhl_1") && ack("a_hhl_2"));
        CHECK((x.outcome == state::ticket_change_result::done) !=
              (y.outcome == state::ticket_change_result::done));
        const auto t = co_await store.get(tenant, opened.number);
        REQUIRE(t);
        CHECK(t->acknowledged_by ==
              (x.outcome == state::ticket_change_result::done ? "a_hhl_1" : "a_hhl_2"));
    });
}
