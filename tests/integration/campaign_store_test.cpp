// Integration: the campaign store on the fixture's redis-server runs the campaign_store contract
// (tests/campaign_store_scenarios.hpp) that its in-memory twin runs in the unit tests, and two
// answers of one household racing on one connection pipeline record exactly one.
#include "redis_session.hpp"
#include "state/campaign_store.hpp"
#include "support.hpp"
#include "tests/campaign_store_scenarios.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>

using namespace daiban;

namespace {

std::string fresh_tenant(const char* what) {
    static int n = 0;
    return std::string("campaigns-") + what + "-" + std::to_string(getpid()) + "-" +
           std::to_string(++n);
}

} // namespace

TEST_CASE("campaign_store on Redis: numbers and retries and rosters and first answers and closing",
          "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_campaign_store store(conn);
        co_await test::campaign_store_scenarios::lifecycle(store, fresh_tenant("life"));
    });
}

TEST_CASE("campaign_store on Redis: of two answers of one household sent at once exactly one is "
          "recorded",
          "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_campaign_store store(conn);
        const auto tenant = fresh_tenant("race");
        const auto req = test::campaign_store_scenarios::land_insurance(tenant, "m1");
        const auto opened = co_await store.open(req);
        auto pay = [&](std::string amount) -> boost::asio::awaitable<state::answer_outcome> {
            const state::campaign_answer a{req.now, "hook:u_wang", amount, ""};
            co_return co_await store.answer(tenant, opened.number, "hhl_wang_defu", a);
        };
        using namespace boost::asio::experimental::awaitable_operators;
        auto [x, y] = co_await (pay("57.3") && pay("60"));
        CHECK((x == state::answer_outcome::recorded) != (y == state::answer_outcome::recorded));
        const auto c = co_await store.get(tenant, opened.number);
        REQUIRE(c);
        CHECK(c->answers.at("hhl_wang_defu").amount ==
              (x == state::answer_outcome::recorded ? "57.3" : "60"));
    });
}
