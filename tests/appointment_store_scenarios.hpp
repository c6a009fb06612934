// Test support, shared by unit and integration tests: the appointment_store contract, written
// against the interface so the in-memory store (tests/unit/memory_stores_test.cpp) and the Redis
// one run the same scenario (checked against Redis once; no integration test runs it yet): seats
// per slot, one active booking per (resident, scope), the outcomes of move and cancel, and what
// taken / taken_on / on_date / active_of show after each.
#pragma once

#include "state/appointment_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace daiban::test::appointment_store_scenarios {

inline state::appointment booking(std::string resident, std::string scope, std::string time) {
    state::appointment a;
    a.resident = std::move(resident);
    a.channel = "hook";
    a.service = "medical_relief";
    a.scope = std::move(scope);
    a.office = "town_fk";
    a.date = "2026-12-01";
    a.time = std::move(time);
    a.id = "ignored";
    a.status = "ignored";
    return a;
}

inline std::vector<std::string> ids_of(const std::vector<state::appointment>& v) {
    std::vector<std::string> out;
    for (const auto& a : v)
        out.push_back(a.id);
    return out;
}

// Fresh tenant.
inline boost::asio::awaitable<void> seats_and_bookings(state::appointment_store& store,
                                                       std::string tenant) {
    using state::booking_outcome;
    using ids = std::vector<std::string>;
    using seats = std::map<std::string, int>;
    const auto mine = booking("u1", "case:1", "09:00");
    auto first = co_await store.book(tenant, mine, 2, 540, 10);
    CHECK(first.outcome == booking_outcome::booked);
    CHECK(first.id == "1");
    auto twice = co_await store.book(tenant, mine, 2, 540, 11);
    CHECK(twice.outcome == booking_outcome::already);
    CHECK(twice.id == "1");
    const auto neighbour = booking("u2", "case:1", "09:00");
    auto second = co_await store.book(tenant, neighbour, 2, 540, 12);
    CHECK(second.outcome == booking_outcome::booked);
    CHECK(second.id == "2");
    const auto third_person = booking("u3", "case:9", "09:00");
    auto full = co_await store.book(tenant, third_person, 2, 540, 13);
    CHECK(full.outcome == booking_outcome::full);
    CHECK(full.id.empty());
    // Another case of the same resident is another booking.
    const auto other_case = booking("u1", "case:2", "10:00");
    auto third = co_await store.book(tenant, other_case, 1, 600, 14);
    CHECK(third.outcome == booking_outcome::booked);
    CHECK(third.id == "3");

    auto taken = co_await store.taken(tenant, "town_fk", "2026-12-01");
    CHECK(taken == seats{{"09:00", 2}, {"10:00", 1}});
    auto u1 = co_await store.active_of(tenant, "u1");
    CHECK(ids_of(u1) == ids{"1", "3"});
    auto day = co_await store.on_date(tenant, "2026-12-01");
    CHECK(ids_of(day) == ids{"1", "2", "3"});
    auto found = co_await store.find(tenant, "1");
    REQUIRE(found.has_value());
    CHECK(found->status == "active");
    CHECK(found->resident == "u1");
    CHECK(found->channel == "hook");
    CHECK(found->service == "medical_relief");
    CHECK(found->scope == "case:1");
    CHECK(found->office == "town_fk");
    CHECK(found->time == "09:00");
    CHECK(found->created == 10);
    CHECK(found->updated == 10);

    auto not_theirs =
        co_await store.move(tenant, "1", "u2", "town_fk", "2026-12-01", "10:00", 5, 600, 20);
    CHECK(not_theirs.outcome == booking_outcome::gone);
    auto same =
        co_await store.move(tenant, "1", "u1", "town_fk", "2026-12-01", "09:00", 2, 540, 20);
    CHECK(same.outcome == booking_outcome::same);
    auto no_seat =
        co_await store.move(tenant, "1", "u1", "town_fk", "2026-12-01", "10:00", 1, 600, 20);
    CHECK(no_seat.outcome == booking_outcome::full);
    auto moved =
        co_await store.move(tenant, "1", "u1", "town_fk", "2026-12-02", "14:00", 2, 840, 20);
    CHECK(moved.outcome == booking_outcome::booked);
    CHECK(moved.id == "1");

    const std::vector<std::string> dates{"2026-12-01", "2026-12-02", "2026-12-03"};
    auto week = co_await store.taken_on(tenant, "town_fk", dates);
    CHECK(week.size() == 3);
    CHECK(week["2026-12-01"] == seats{{"09:00", 1}, {"10:00", 1}});
    CHECK(week["2026-12-02"] == seats{{"14:00", 1}});
    CHECK(week["2026-12-03"].empty());
    day = co_await store.on_date(tenant, "2026-12-01");
    CHECK(ids_of(day) == ids{"2", "3"});
    day = co_await store.on_date(tenant, "2026-12-02");
    CHECK(ids_of(day) == ids{"1"});
    found = co_await store.find(tenant, "1");
    REQUIRE(found.has_value());
    CHECK(found->date == "2026-12-02");
    CHECK(found->time == "14:00");
    CHECK(found->created == 10);
    CHECK(found->updated == 20);

    auto wrong = co_await store.cancel(tenant, "1", "u2", 30);
    CHECK(wrong.outcome == booking_outcome::gone);
    auto cancelled = co_await store.cancel(tenant, "1", "u1", 30);
    CHECK(cancelled.outcome == booking_outcome::booked);
    auto again = co_await store.cancel(tenant, "1", "u1", 31);
    CHECK(again.outcome == booking_outcome::gone);
    auto missing = co_await store.cancel(tenant, "404", "u1", 31);
    CHECK(missing.outcome == booking_outcome::gone);
    found = co_await store.find(tenant, "1");
    REQUIRE(found.has_value());
    CHECK(found->status == "cancelled");
    CHECK(found->updated == 30);
    auto none_found = co_await store.find(tenant, "404");
    CHECK_FALSE(none_found.has_value());
    // A freed slot still shows, at 0 seats.
    taken = co_await store.taken(tenant, "town_fk", "2026-12-02");
    CHECK(taken == seats{{"14:00", 0}});
    u1 = co_await store.active_of(tenant, "u1");
    CHECK(ids_of(u1) == ids{"3"});
    day = co_await store.on_date(tenant, "2026-12-02");
    CHECK(day.empty());
    // The case's booking is free to make again.
    auto rebook = co_await store.book(tenant, mine, 2, 540, 40);
    CHECK(rebook.outcome == booking_outcome::booked);
    CHECK(rebook.id == "4");
    auto nobody = co_await store.active_of(tenant, "u9");
    CHECK(nobody.empty());
}

} // namespace daiban::test::appointment_store_scenarios
