// Unit: the in-memory ticket store runs the ticket_store contract
// (tests/ticket_store_scenarios.hpp) that the Redis store runs in
// tests/integration/ticket_store_test.cpp.
#include "run_coroutine.hpp"
#include "state/memory/ticket_store.hpp"
#include "tests/ticket_store_scenarios.hpp"

#include <catch2/catch.hpp>

using namespace daiban;

TEST_CASE(
    "memory ticket_store: numbers and retries and guarded changes and photos and the open index",
    "[unit][memory_store]") {
    state::memory_ticket_store store;
    test::run_coroutine(test::ticket_store_scenarios::lifecycle(store, "t"));
}

TEST_CASE("memory ticket_store: tenants keep their own numbers", "[unit][memory_store]") {
    state::memory_ticket_store store;
    const auto a = test::run_coroutine(store.open(test::ticket_store_scenarios::report("a", "m")));
    const auto b = test::run_coroutine(store.open(test::ticket_store_scenarios::report("b", "m")));
    CHECK(a.number == 1);
    CHECK(b.number == 1);
    CHECK(b.created);
}
