// Integration: state::case_store against the fixture's redis-server, without the bot — the API
// other parts (timers: deadlines, escalation, the 补正 pause) build on: idempotent opening, the
// transition table, history, the open-case indexes, the pause and resume of the clock, claims.
// The scenarios are the store contract (tests/case_store_scenarios.hpp), which the in-memory store
// passes too (tests/unit/memory_case_store_test.cpp).
#include "redis_session.hpp"
#include "state/case_store.hpp"
#include "support.hpp"
#include "tests/case_store_scenarios.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

using namespace daiban;
using daiban::test::fixture_redis;
namespace scenarios = daiban::test::case_store_scenarios;

namespace {

// Runs `body` on a case store over its own connection to the fixture Redis.
template <typename F>
void with_store(F body) {
    test::with_connection([&](state::redis::connection& conn) -> boost::asio::awaitable<void> {
        state::redis_case_store store(conn);
        co_await body(store);
    });
}

std::string tenant() {
    static const std::string t = "store" + std::to_string(getpid());
    return t;
}

} // namespace

TEST_CASE("case_store: open is idempotent per source message — numbers per tenant",
          "[integration][case_store]") {
    with_store(
        [](state::case_store& store) { return scenarios::open_is_idempotent(store, tenant()); });
}

TEST_CASE("case_store: transitions are checked and recorded — and closed cases leave the indexes",
          "[integration][case_store]") {
    with_store([](state::case_store& store) {
        return scenarios::transitions_are_checked(store, tenant());
    });
}

TEST_CASE("case_store: 补正 pauses the clock — a resent document resumes it with a new due date",
          "[integration][case_store]") {
    with_store([](state::case_store& store) {
        return scenarios::return_pauses_and_resend_resumes(store, tenant());
    });
}

TEST_CASE("case_store: a claim is compare-and-set and moves the owner index",
          "[integration][case_store]") {
    with_store([](state::case_store& store) {
        return scenarios::claim_is_compare_and_set(store, tenant());
    });
}

TEST_CASE("case_store: every outcome of attach and review — counts, statuses and history",
          "[integration][case_store]") {
    with_store([](state::case_store& store) {
        return scenarios::review_and_attach_outcomes(store, tenant());
    });
}

TEST_CASE("case_store: the indexes follow due dates, transfers, claims and closing",
          "[integration][case_store]") {
    with_store([](state::case_store& store) {
        return scenarios::indexes_follow_the_cases(store, tenant() + "-idx");
    });
}

TEST_CASE("case_store: a case is found by number, #number or code — and nothing else",
          "[integration][case_store]") {
    with_store(
        [](state::case_store& store) { return scenarios::references_resolve(store, tenant()); });
}
