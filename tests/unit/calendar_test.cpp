// Unit: working days and due dates (限时办结) over the 2026 holidays, and office opening days.
#include "handlers/calendar.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace daiban::handlers;

namespace {

const std::string holidays_dir = DAIBAN_SOURCE_DIR "/deploy/holidays";

civil_date day(const char* iso) {
    return civil_date::parse_iso(iso).value();
}

std::shared_ptr<const work_calendar> real_calendar() {
    std::vector<data_problem> problems;
    auto cal = work_calendar::load(holidays_dir, problems);
    for (const auto& p : problems)
        UNSCOPED_INFO(p.file << " " << p.path << " " << p.message);
    REQUIRE(cal);
    return cal;
}

struct temp_dir {
    std::filesystem::path path;
    temp_dir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("daiban-cal-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(path / name, std::ios::binary) << text;
    }
};

office hall(std::map<std::string, std::vector<std::string>> hours) {
    office o;
    o.id = "town_t";
    o.name = "测试镇便民服务中心";
    o.hours = std::move(hours);
    return o;
}

} // namespace

TEST_CASE("the project's holiday data loads and covers 2024 to 2026", "[unit][calendar]") {
    const auto cal = real_calendar();
    CHECK(cal->years_covered() == std::set<int>{2024, 2025, 2026});
    CHECK(cal->coverage_warning(2026).empty());
}

TEST_CASE("Spring Festival 2026: nine days off — two make-up Saturdays", "[unit][calendar]") {
    const auto cal = real_calendar();
    CHECK(cal->is_working_day(day("2026-02-14"))); // Saturday, worked
    CHECK(cal->is_makeup_day(day("2026-02-14")));
    CHECK(cal->holiday_name(day("2026-02-14")) == "春节");
    for (auto d = day("2026-02-15"); d <= day("2026-02-23"); d = d.plus_days(1)) {
        INFO(d.iso());
        CHECK_FALSE(cal->is_working_day(d));
        CHECK(cal->is_public_holiday(d));
    }
    CHECK(cal->is_working_day(day("2026-02-24")));       // Tuesday, back to work
    CHECK(cal->is_working_day(day("2026-02-28")));       // Saturday, worked
    CHECK_FALSE(cal->is_working_day(day("2026-03-01"))); // an ordinary Sunday
    CHECK(cal->holiday_name(day("2026-03-02")).empty());
}

TEST_CASE("a deadline that crosses the Spring Festival", "[unit][calendar]") {
    const auto cal = real_calendar();
    // Accepted Thursday 12 Feb with 3 working days: Fri 13 (1), make-up Sat 14 (2), then nine
    // days off, Tue 24 (3).
    CHECK(cal->add_working_days(day("2026-02-12"), 3) == day("2026-02-24"));
    // A 20-working-day reimbursement accepted on 2 Feb: 9 days to Fri 13, Sat 14, then 24 Feb
    // onwards, Sat 28 included.
    CHECK(cal->add_working_days(day("2026-02-02"), 20) == day("2026-03-06"));
    CHECK(cal->working_days_between(day("2026-02-12"), day("2026-02-24")) == 3);
    // A 补正 pause from Sat 14 to Mon 23 spans no working day; from Fri 13 it spans one (the
    // make-up Saturday), so the due date moves by one.
    CHECK(cal->working_days_between(day("2026-02-14"), day("2026-02-23")) == 0);
    CHECK(cal->working_days_between(day("2026-02-13"), day("2026-02-23")) == 1);
}

TEST_CASE("National Day 2026 with its make-up Sunday and Saturday", "[unit][calendar]") {
    const auto cal = real_calendar();
    CHECK(cal->is_working_day(day("2026-09-20"))); // Sunday, worked
    CHECK(cal->holiday_name(day("2026-09-20")) == "国庆节");
    CHECK_FALSE(cal->is_working_day(day("2026-09-25"))); // 中秋节, a Friday
    CHECK(cal->holiday_name(day("2026-10-01")) == "国庆节");
    CHECK(cal->is_working_day(day("2026-10-10"))); // Saturday, worked
    // Accepted Wednesday 30 Sep, 5 working days: Thu 8 (1), Fri 9 (2), make-up Sat 10 (3),
    // Mon 12 (4), Tue 13 (5).
    CHECK(cal->add_working_days(day("2026-09-30"), 5) == day("2026-10-13"));
    // One working day before the first day back is the last day before the holiday.
    CHECK(cal->add_working_days(day("2026-10-08"), -1) == day("2026-09-30"));
    CHECK(cal->working_days_between(day("2026-10-13"), day("2026-09-30")) == -5);
}

TEST_CASE("the day of acceptance does not count — weekends do not either", "[unit][calendar]") {
    const auto cal = real_calendar();
    CHECK(cal->add_working_days(day("2026-11-16"), 3) == day("2026-11-19")); // Mon -> Thu
    CHECK(cal->add_working_days(day("2026-11-20"), 1) == day("2026-11-23")); // Fri -> Mon
    CHECK(cal->add_working_days(day("2026-11-21"), 1) == day("2026-11-23")); // Sat -> Mon
    CHECK(cal->add_working_days(day("2026-11-18"), 0) == day("2026-11-18"));
    CHECK(cal->working_days_between(day("2026-11-16"), day("2026-11-16")) == 0);
    // add and between invert each other across a whole year with every kind of day in it.
    for (int n : {1, 2, 5, 10, 15, 20, 30, 60}) {
        const auto from = day("2026-01-01");
        INFO(n);
        CHECK(cal->working_days_between(from, cal->add_working_days(from, n)) == n);
    }
}

TEST_CASE("a year without data falls back to weekends and says so once", "[unit][calendar]") {
    const auto cal = real_calendar();
    CHECK_FALSE(cal->covers(2030));
    CHECK(cal->take_warnings().empty());                 // nothing asked about 2030 yet
    CHECK(cal->is_working_day(day("2030-01-01")));       // a Tuesday; 元旦 unknown without data
    CHECK_FALSE(cal->is_working_day(day("2030-01-05"))); // Saturday
    CHECK(cal->add_working_days(day("2030-01-04"), 1) == day("2030-01-07"));
    const auto warnings = cal->take_warnings();
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("2030") != std::string::npos);
    CHECK(warnings[0].find("2030.json") != std::string::npos);
    CHECK(cal->is_working_day(day("2030-01-02")));
    CHECK(cal->take_warnings().empty()); // reported once

    const auto plain = work_calendar::weekends_only();
    CHECK(plain->years_covered().empty());
    CHECK(plain->is_working_day(day("2026-10-01")));
    CHECK_FALSE(plain->is_working_day(day("2026-10-10")));
}

TEST_CASE("broken holiday files are reported with file and path", "[unit][calendar]") {
    temp_dir dir;
    dir.write("2026.json", R"({"year": 2026, "days": [
        {"name": "国庆节", "date": "2026-10-01", "isOffDay": true},
        {"name": "国庆节", "date": "2026-10-09", "isOffDay": false},
        {"name": "国庆节", "date": "2026-10-32", "isOffDay": true}]})");
    dir.write("2027.json", R"({"year": 2028, "days": []})");
    dir.write("2025.json", "{\"year\": 2025, \"days\": [\n{]}");
    dir.write("LICENSE", "not json, ignored");
    std::vector<data_problem> problems;
    CHECK(work_calendar::load(dir.path.string(), problems) == nullptr);
    auto has = [&](const std::string& file, const std::string& path, const std::string& words) {
        for (const auto& p : problems)
            if (std::filesystem::path(p.file).filename() == file && p.path == path &&
                p.message.find(words) != std::string::npos)
                return true;
        return false;
    };
    for (const auto& p : problems)
        UNSCOPED_INFO(p.file << " " << p.path << " " << p.message);
    CHECK(has("2026.json", "days[1].isOffDay", "is a weekday"));
    CHECK(has("2026.json", "days[2].date", "not a date"));
    CHECK(has("2027.json", "year", "named 2027.json"));
    CHECK(has("2025.json", "", "invalid JSON at line 2"));
    CHECK(problems.size() == 4);

    std::vector<data_problem> missing;
    CHECK(work_calendar::load((dir.path / "nope").string(), missing) == nullptr);
    CHECK(missing.size() == 1);
}

TEST_CASE("office opening days follow hours — closures — holidays and make-up days",
          "[unit][calendar]") {
    const auto cal = real_calendar();
    const std::vector<std::string> weekday = {"08:30-11:30", "13:30-17:00"};
    auto town = hall({{"mon", weekday},
                      {"tue", weekday},
                      {"wed", weekday},
                      {"thu", weekday},
                      {"fri", weekday},
                      {"sat", {}},
                      {"sun", {}}});
    town.closed = {"2026-12-31"};
    town.service_days = {"wed"};

    const auto wed = cal->office_hours(town, day("2026-11-18"));
    CHECK(wed.open);
    CHECK(wed.service_day);
    CHECK(wed.periods == std::vector<time_period>{{510, 690}, {810, 1020}});

    const auto thu = cal->office_hours(town, day("2026-11-19"));
    CHECK(thu.open);
    CHECK_FALSE(thu.service_day); // staff are out on roving service

    const auto sat = cal->office_hours(town, day("2026-11-21"));
    CHECK_FALSE(sat.open);
    CHECK(sat.reason == "no_hours");

    const auto closed = cal->office_hours(town, day("2026-12-31"));
    CHECK_FALSE(closed.open);
    CHECK(closed.reason == "closed");

    const auto national_day = cal->office_hours(town, day("2026-10-07")); // a Wednesday
    CHECK_FALSE(national_day.open);
    CHECK(national_day.reason == "国庆节");

    const auto makeup = cal->office_hours(town, day("2026-10-10")); // Saturday, worked
    CHECK(makeup.open);
    CHECK(makeup.makeup_day);
    CHECK(makeup.periods == wed.periods);
    CHECK_FALSE(makeup.service_day);

    // A county hall that also opens on Saturday mornings stays shut on a holiday Saturday, and
    // works full weekday hours on a make-up Saturday.
    auto county = hall({{"mon", {"09:00-12:00", "13:30-17:30"}}, {"sat", {"09:00-12:00"}}});
    CHECK(cal->office_hours(county, day("2026-11-21")).periods ==
          std::vector<time_period>{{540, 720}});
    CHECK_FALSE(cal->office_hours(county, day("2026-10-03")).open);
    CHECK(cal->office_hours(county, day("2026-10-10")).periods.size() == 2);
}
