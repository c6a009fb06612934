// Integration: the timer and appointment stores on the fixture's redis-server run the same
// contract scenarios as their in-memory twins (tests/unit/memory_stores_test.cpp), so a handler
// unit test on memory stores sees what the server would.
#include "redis_session.hpp"
#include "state/appointment_store.hpp"
#include "state/timer_store.hpp"
#include "support.hpp"
#include "tests/appointment_store_scenarios.hpp"
#include "tests/timer_store_scenarios.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

#include <unistd.h>

using namespace daiban;
using daiban::test::fixture_redis;

namespace {

// A tenant no other run has used: the scenarios expect empty stores.
std::string fresh_tenant(const char* what) {
    static int n = 0;
    return std::string("contract-") + what + "-" + std::to_string(getpid()) + "-" +
           std::to_string(++n);
}

} // namespace

TEST_CASE("timer_store on Redis: arming replaces by id, cancelling counts what existed",
          "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_timer_store store(conn, test::timer_store_scenarios::policy);
        co_await test::timer_store_scenarios::arming_replaces_and_cancel_counts(
            store, fresh_tenant("timers"));
    });
}

TEST_CASE("timer_store on Redis: claims in due order with a lease — settling needs the claim's "
          "token",
          "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_timer_store store(conn, test::timer_store_scenarios::policy);
        co_await test::timer_store_scenarios::claims_leases_and_settling(store,
                                                                         fresh_tenant("claims"));
    });
}

TEST_CASE("appointment_store on Redis: seats per slot, one booking per case, move and cancel",
          "[integration][store_contract]") {
    test::with_connection([](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_appointment_store store(conn);
        co_await test::appointment_store_scenarios::seats_and_bookings(store,
                                                                       fresh_tenant("seats"));
    });
}
