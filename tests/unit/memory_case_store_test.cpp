// Unit: state::memory_case_store against the case_store contract (tests/case_store_scenarios.hpp),
// the same scenarios tests/integration/case_store_test.cpp runs on Redis — so handler unit tests
// work on a store that behaves like production's — plus what only a store without a server clock
// can show: the source message's 30 days, counted on the callers' clock.
#include "state/memory/case_store.hpp"
#include "tests/case_store_scenarios.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

using namespace daiban;
namespace scenarios = daiban::test::case_store_scenarios;

namespace {

// Runs `body` as a coroutine on a fresh, empty store and waits for it.
template <typename F>
void with_memory_store(F body) {
    boost::asio::io_context ioc;
    state::memory_case_store store;
    bool finished = false;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            co_await body(store);
            finished = true;
        },
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    ioc.run();
    REQUIRE(finished);
}

const std::string tenant = "store";

} // namespace

TEST_CASE("memory case_store: open is idempotent per source message — numbers per tenant",
          "[unit][memory_store]") {
    with_memory_store(
        [](state::case_store& store) { return scenarios::open_is_idempotent(store, tenant); });
}

TEST_CASE("memory case_store: transitions are checked and recorded — and closed cases leave the "
          "indexes",
          "[unit][memory_store]") {
    with_memory_store(
        [](state::case_store& store) { return scenarios::transitions_are_checked(store, tenant); });
}

TEST_CASE("memory case_store: 补正 pauses the clock — a resent document resumes it with a new due "
          "date",
          "[unit][memory_store]") {
    with_memory_store([](state::case_store& store) {
        return scenarios::return_pauses_and_resend_resumes(store, tenant);
    });
}

TEST_CASE("memory case_store: a claim is compare-and-set and moves the owner index",
          "[unit][memory_store]") {
    with_memory_store([](state::case_store& store) {
        return scenarios::claim_is_compare_and_set(store, tenant);
    });
}

TEST_CASE("memory case_store: every outcome of attach and review — counts, statuses and history",
          "[unit][memory_store]") {
    with_memory_store([](state::case_store& store) {
        return scenarios::review_and_attach_outcomes(store, tenant);
    });
}

TEST_CASE("memory case_store: the indexes follow due dates, transfers, claims and closing",
          "[unit][memory_store]") {
    with_memory_store([](state::case_store& store) {
        return scenarios::indexes_follow_the_cases(store, tenant);
    });
}

TEST_CASE("memory case_store: a case is found by number, #number or code — and nothing else",
          "[unit][memory_store]") {
    with_memory_store(
        [](state::case_store& store) { return scenarios::references_resolve(store, tenant); });
}

TEST_CASE("memory case_store: numbers are per tenant, and a source message counts for 30 days",
          "[unit][memory_store]") {
    with_memory_store([](state::case_store& store) -> boost::asio::awaitable<void> {
        const auto first = scenarios::request("t1", "m-1");
        auto other_tenant = scenarios::request("t2", "m-1");
        auto a = co_await store.open(first);
        auto b = co_await store.open(other_tenant);
        CHECK(a.number == 1);
        CHECK(b.number == 1);
        CHECK(b.created);
        auto in_t2 = co_await store.by_resident("t2", "hook:u_test");
        CHECK(in_t2 == std::vector<std::int64_t>{1});

        auto retry = first;
        retry.now = first.now + 30LL * 24 * 3600 - 1;
        auto same = co_await store.open(retry);
        CHECK_FALSE(same.created);
        CHECK(same.number == 1);
        retry.now = first.now + 30LL * 24 * 3600;
        auto later = co_await store.open(retry);
        CHECK(later.created);
        CHECK(later.number == 2);
    });
}
