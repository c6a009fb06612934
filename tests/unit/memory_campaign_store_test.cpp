// Unit: the in-memory campaign store runs the campaign_store contract
// (tests/campaign_store_scenarios.hpp) that the Redis store runs in
// tests/integration/campaign_store_test.cpp.
#include "run_coroutine.hpp"
#include "state/memory/campaign_store.hpp"
#include "tests/campaign_store_scenarios.hpp"

#include <catch2/catch.hpp>

using namespace daiban;

TEST_CASE("memory campaign_store: numbers and retries and rosters and first answers and closing",
          "[unit][memory_store][campaigns]") {
    state::memory_campaign_store store;
    test::run_coroutine(test::campaign_store_scenarios::lifecycle(store, "t"));
}

TEST_CASE("memory campaign_store: tenants keep their own numbers",
          "[unit][memory_store][campaigns]") {
    state::memory_campaign_store store;
    const auto a =
        test::run_coroutine(store.open(test::campaign_store_scenarios::land_insurance("a", "m")));
    const auto b =
        test::run_coroutine(store.open(test::campaign_store_scenarios::land_insurance("b", "m")));
    CHECK(a.number == 1);
    CHECK(b.number == 1);
    CHECK(b.created);
}
