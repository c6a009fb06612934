// Unit: the in-memory stores besides cases (state/memory/) — timers and appointments against their
// contract scenarios (written against the interfaces, so the Redis stores can run them too),
// residents' profiles, and media kept by content with `existed` as the Redis store reports it.
#include "common/sha256.hpp"
#include "run_coroutine.hpp"
#include "state/memory/appointment_store.hpp"
#include "state/memory/media_store.hpp"
#include "state/memory/resident_store.hpp"
#include "state/memory/timer_store.hpp"
#include "tests/appointment_store_scenarios.hpp"
#include "tests/timer_store_scenarios.hpp"

#include <catch2/catch.hpp>

using namespace daiban;
using daiban::test::run_coroutine;

TEST_CASE("memory timer_store: arming replaces by id, cancelling counts what existed",
          "[unit][memory_store]") {
    state::memory_timer_store store(test::timer_store_scenarios::policy);
    run_coroutine(test::timer_store_scenarios::arming_replaces_and_cancel_counts(store, "t"));
}

TEST_CASE("memory timer_store: claims in due order with a lease — settling needs the claim's token",
          "[unit][memory_store]") {
    state::memory_timer_store store(test::timer_store_scenarios::policy);
    run_coroutine(test::timer_store_scenarios::claims_leases_and_settling(store, "t"));
}

TEST_CASE("memory timer_store: tenants keep their own timers", "[unit][memory_store]") {
    state::memory_timer_store store;
    const auto t = test::timer_store_scenarios::armed("x", 100);
    run_coroutine(store.schedule("t1", t));
    auto other = run_coroutine(store.claim("t2", 1'000, 10));
    CHECK(other.empty());
    auto mine = run_coroutine(store.claim("t1", 1'000, 10));
    CHECK(mine.size() == 1);
}

TEST_CASE("memory appointment_store: seats per slot, one booking per case, move and cancel",
          "[unit][memory_store]") {
    state::memory_appointment_store store;
    run_coroutine(test::appointment_store_scenarios::seats_and_bookings(store, "t"));
}

TEST_CASE("memory resident_store: a profile is its fields — touch keeps the village",
          "[unit][memory_store]") {
    state::memory_resident_store store;
    auto unknown = run_coroutine(store.get("t", "hook:u1"));
    CHECK(unknown.village.empty());
    CHECK(unknown.awaiting_rating == 0);
    run_coroutine(store.set("t", "hook:u1", "village", "hhl"));
    state::resident_profile reach;
    reach.channel = "hook";
    reach.chat = "u1";
    reach.name = "王大妈";
    run_coroutine(store.touch("t", "hook:u1", reach));
    run_coroutine(store.set("t", "hook:u1", "awaiting_rating", "12"));
    auto p = run_coroutine(store.get("t", "hook:u1"));
    CHECK(p.village == "hhl");
    CHECK(p.channel == "hook");
    CHECK(p.chat == "u1");
    CHECK(p.name == "王大妈");
    CHECK(p.awaiting_rating == 12);
    auto elsewhere = run_coroutine(store.get("t2", "hook:u1"));
    CHECK(elsewhere.village.empty());
}

TEST_CASE("memory media_store: bytes kept by SHA-256 — the same file twice is stored once",
          "[unit][memory_store]") {
    state::memory_media_store store;
    const std::string jpeg("\xFF\xD8\xFF\xE0 a photo", 12);
    auto first = run_coroutine(store.put("t", jpeg, "image/jpeg", "jpg", 1));
    CHECK(first.sha256 == sha256_hex(jpeg));
    CHECK_FALSE(first.existed);
    auto again = run_coroutine(store.put("t", jpeg, "image/jpeg", "jpg", 2));
    CHECK(again.existed);
    CHECK(again.sha256 == first.sha256);
    CHECK(again.path == first.path);
    // The Redis store looks for <sha256>.<ext>: the same bytes under another type are new.
    auto as_png = run_coroutine(store.put("t", jpeg, "image/png", "png", 3));
    CHECK_FALSE(as_png.existed);
    auto other_tenant = run_coroutine(store.put("t2", jpeg, "image/jpeg", "jpg", 4));
    CHECK_FALSE(other_tenant.existed);
    const auto* kept = store.find("t", first.sha256);
    REQUIRE(kept);
    CHECK(kept->bytes == jpeg);
    CHECK(kept->stored_at == 3);
    CHECK_FALSE(store.find("t", std::string(64, '0')));
}
