// Unit: appointment slots — opening periods cut into slots, past times left out, holidays and
// make-up days of the 2026 Spring Festival and National Day, and the nearest free slots.
#include "handlers/slots.hpp"

#include <catch2/catch.hpp>

using namespace daiban::handlers;

namespace {

civil_date day(const char* iso) {
    return civil_date::parse_iso(iso).value();
}

std::shared_ptr<const work_calendar> calendar() {
    std::vector<data_problem> problems;
    auto cal = work_calendar::load(DAIBAN_SOURCE_DIR "/deploy/holidays", problems);
    REQUIRE(cal);
    return cal;
}

office hall() {
    office o;
    o.id = "town_fk";
    o.name = "法库镇便民服务中心";
    for (const char* d : {"mon", "tue", "wed", "thu", "fri"})
        o.hours[d] = {"08:30-11:30", "13:30-17:00"};
    o.slot_minutes = 30;
    o.capacity = 3;
    o.closed = {"2026-12-31"};
    return o;
}

// Unix seconds of a local (UTC+8) time.
std::int64_t china(const char* iso, int h, int m) {
    return day(iso).to_days() * 86400 + h * 3600 + m * 60 - 8 * 3600;
}

bool any_free(const slot&) {
    return true;
}

} // namespace

TEST_CASE("a working day's periods are cut into slots and past ones are left out",
          "[unit][slots]") {
    auto cal = calendar();
    const auto o = hall();
    // Monday 2026-11-23, seen from the Sunday before: 6 morning + 7 afternoon slots.
    auto all = office_slots(*cal, o, day("2026-11-23"), china("2026-11-22", 12, 0));
    REQUIRE(all.size() == 13);
    CHECK(all.front().time() == "08:30");
    CHECK(all[5].time() == "11:00");
    CHECK(all[6].time() == "13:30");
    CHECK(all.back().time() == "16:30");
    // Seen at 10:00 on the day: 08:30..10:00 are gone (10:00 has begun).
    auto later = office_slots(*cal, o, day("2026-11-23"), china("2026-11-23", 10, 0));
    REQUIRE(later.size() == 9);
    CHECK(later.front().time() == "10:30");
    // 45-minute slots: a period's tail shorter than a slot is not offered.
    auto wide = o;
    wide.slot_minutes = 45;
    auto w = office_slots(*cal, wide, day("2026-11-23"), 0);
    CHECK(w.size() == 4 + 4); // 08:30 09:15 10:00 10:45 | 13:30 14:15 15:00 15:45
    CHECK(w[3].time() == "10:45");
}

TEST_CASE("Spring Festival 2026: no slots on the holidays — weekday slots on the make-up Saturdays",
          "[unit][slots]") {
    auto cal = calendar();
    const auto o = hall();
    const auto before = china("2026-02-01", 0, 0);
    CHECK(office_slots(*cal, o, day("2026-02-16"), before).empty());      // Monday, 春节
    CHECK(office_slots(*cal, o, day("2026-02-23"), before).empty());      // Monday, last day off
    CHECK(office_slots(*cal, o, day("2026-02-14"), before).size() == 13); // Saturday, make-up
    CHECK(office_slots(*cal, o, day("2026-02-28"), before).size() == 13); // Saturday, make-up
    CHECK(office_slots(*cal, o, day("2026-02-21"), before).empty());      // Saturday, off
    // Asked for the festival's Tuesday: the nearest are the make-up Saturday before it (closer
    // than the Tuesday after the holiday).
    slot_request req{day("2026-02-17"), 9 * 60, std::nullopt};
    auto near = nearest_slots(*cal, o, req, before, 3, any_free);
    REQUIRE(near.size() == 3);
    CHECK(near.front().date == day("2026-02-14"));
    CHECK(near.back().date == day("2026-02-14"));
    CHECK(near.back().time() == "16:30");
}

TEST_CASE("National Day 2026: make-up Sunday 09-20 and Saturday 10-10 open — the week closed",
          "[unit][slots]") {
    auto cal = calendar();
    const auto o = hall();
    const auto before = china("2026-09-01", 0, 0);
    CHECK(office_slots(*cal, o, day("2026-09-20"), before).size() == 13);
    CHECK(office_slots(*cal, o, day("2026-10-10"), before).size() == 13);
    for (const char* d : {"2026-10-01", "2026-10-05", "2026-10-07", "2026-09-25"})
        CHECK(office_slots(*cal, o, day(d), before).empty());
    // From the last working afternoon before the holiday, a request for 10-04 gets today's last
    // slot first, then 10-08.
    slot_request req{day("2026-10-04"), std::nullopt, std::string("am")};
    auto near = nearest_slots(*cal, o, req, china("2026-09-30", 16, 0), 3, any_free);
    REQUIRE(near.size() == 3);
    CHECK(near[0].date == day("2026-09-30"));
    CHECK(near[0].time() == "16:30");
    CHECK(near[1].date == day("2026-10-08"));
    CHECK(near[1].time() == "08:30");
}

TEST_CASE("nearest slots: exact time — part of day — full slots — a past request",
          "[unit][slots]") {
    auto cal = calendar();
    const auto o = hall();
    const auto now = china("2026-11-23", 10, 0); // Monday
    slot_request at_nine{day("2026-11-25"), 9 * 60, std::nullopt};
    auto near = nearest_slots(*cal, o, at_nine, now, 3, any_free);
    REQUIRE(near.size() == 3);
    CHECK(near[0].time() == "08:30");
    CHECK(near[1].time() == "09:00");
    CHECK(near[2].time() == "09:30");
    // 09:00 full: it is not offered.
    auto not_nine = [](const slot& s) { return s.time() != "09:00"; };
    near = nearest_slots(*cal, o, at_nine, now, 3, not_nine);
    REQUIRE(near.size() == 3);
    for (const auto& s : near)
        CHECK(s.time() != "09:00");
    // "下午": the afternoon of that day.
    slot_request pm{day("2026-11-25"), std::nullopt, std::string("pm")};
    near = nearest_slots(*cal, o, pm, now, 3, any_free);
    REQUIRE(near.size() == 3);
    for (const auto& s : near)
        CHECK(s.start_minute >= 13 * 60 + 30);
    // Yesterday: the nearest from now on.
    slot_request past{day("2026-11-22"), std::nullopt, std::nullopt};
    near = nearest_slots(*cal, o, past, now, 2, any_free);
    REQUIRE(near.size() == 2);
    CHECK(near[0].date == day("2026-11-23"));
    CHECK(near[0].time() == "10:30");
    // Everything taken: nothing to offer (the caller says so), no exception.
    CHECK(nearest_slots(*cal, o, at_nine, now, 3, [](const slot&) { return false; }).empty());
}

TEST_CASE("slot ids round-trip", "[unit][slots]") {
    const slot s{day("2026-12-02"), 9 * 60, 9 * 60 + 30};
    const auto id = slot_id("town_fk", s);
    CHECK(id == "town_fk|2026-12-02|09:00");
    auto back = parse_slot_id(id);
    REQUIRE(back);
    CHECK(back->office == "town_fk");
    CHECK(back->date == s.date);
    CHECK(back->start_minute == 540);
    CHECK_FALSE(parse_slot_id("town_fk|2026-13-02|09:00"));
    CHECK_FALSE(parse_slot_id("|2026-12-02|09:00"));
    CHECK_FALSE(parse_slot_id("town_fk|2026-12-02|25:00"));
}
