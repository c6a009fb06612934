// Unit: NLU dates and times in mainland usage (DESIGN §3), relative to a fixed reference:
// Wednesday 2026-11-18 10:00.
#include "bot/nlu/dates.hpp"
#include "bot/nlu/lunar_holidays.hpp"
#include "bot/nlu/normalize.hpp"

#include <catch2/catch.hpp>

using namespace daiban::bot::nlu;
using daiban::model::civil_date;

namespace {
const local_time wed{{2026, 11, 18}, 10, 0};

datetime_result when(std::string_view s, local_time now = wed) {
    auto t = normalize(s).text;
    std::vector<bool> taken(t.size(), false);
    return extract_datetime(t, now, taken);
}
std::string day(std::string_view s, local_time now = wed) {
    auto r = when(s, now);
    return r.date ? r.date->iso() : "none";
}
std::string clock(std::string_view s) {
    auto r = when(s);
    if (!r.hour) return "none";
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", *r.hour, r.minute.value_or(0));
    return buf;
}
} // namespace

TEST_CASE("relative days and weekdays", "[unit][nlu]") {
    CHECK(day("今天") == "2026-11-18");
    CHECK(day("明天") == "2026-11-19");
    CHECK(day("后天上午") == "2026-11-20");
    CHECK(day("大后天") == "2026-11-21");
    CHECK(day("5天后") == "2026-11-23");
    CHECK(day("两天前") == "2026-11-16");
    CHECK(day("周五") == "2026-11-20");
    CHECK(day("周三") == "2026-11-25"); // bare weekday = the next one after today
    CHECK(day("下周三") == "2026-11-25");
    CHECK(day("下下周一") == "2026-11-30");
    CHECK(day("这周六") == "2026-11-21");
    CHECK(day("礼拜二") == "2026-11-24");
    CHECK(day("星期天") == "2026-11-22");
    CHECK(day("上周二") == "2026-11-10");
}

TEST_CASE("calendar dates", "[unit][nlu]") {
    CHECK(day("11月30号") == "2026-11-30");
    CHECK(day("12月1日") == "2026-12-01");
    CHECK(day("2027年3月3号") == "2027-03-03");
    CHECK(day("下个月5号") == "2026-12-05");
    CHECK(day("月底") == "2026-11-30");
    CHECK(day("1月5号") == "2027-01-05"); // said in November: the coming January
    CHECK(day("25号") == "2026-11-25");
    CHECK(day("3号") == "2026-12-03");
    CHECK(day("2026-12-24") == "2026-12-24");
    CHECK(day("我有三个孩子") == "none");
}

TEST_CASE("clock times and parts of day", "[unit][nlu]") {
    CHECK(clock("十点半") == "10:30");
    CHECK(clock("3点") == "15:00"); // bare 1-6: afternoon
    CHECK(clock("上午9点") == "09:00");
    CHECK(clock("15:30") == "15:30");
    CHECK(clock("三点一刻") == "15:15");
    CHECK(clock("三点三个字") == "15:15"); // Cantonese: three five-minute marks
    CHECK(clock("两点踏五") == "14:25");   // Cantonese: the minute hand on the 5
    CHECK(clock("3点5个人") == "15:00");   // five people, not minutes
    CHECK(clock("晚上八点") == "20:00");
    CHECK(clock("下午三点到四点") == "15:00"); // a range keeps its start
    CHECK(clock("快一点") == "none");
    CHECK(clock("等了十来天了 一点消息都没有") == "none"); // "any", not one o'clock
    CHECK(clock("一点动静也没有") == "none");
    CHECK(clock("明天一点去") == "13:00");
    auto r = when("明早8点半");
    CHECK(r.date->iso() == "2026-11-19");
    CHECK(*r.part == "am");
    CHECK(*when("明天下午").part == "pm");
    CHECK(*when("周六晚上").part == "evening");
}

TEST_CASE("public holidays — lunar ones from the table", "[unit][nlu]") {
    CHECK(day("元旦") == "2027-01-01");
    CHECK(day("春节") == "2027-02-06");
    CHECK(day("清明") == "2027-04-05");
    CHECK(day("劳动节") == "2027-05-01");
    CHECK(day("端午") == "2027-06-09");
    CHECK(day("中秋") == "2027-09-15");
    CHECK(day("国庆") == "2027-10-01");
    CHECK(day("2030年春节") == "2030-02-03");
    const local_time early{{2013, 1, 1}, 9, 0};
    CHECK(day("中秋节", early) == "2013-09-19");
    for (auto f :
         {lunar_festival::spring, lunar_festival::dragon_boat, lunar_festival::mid_autumn}) {
        auto dates = lunar_festival_dates(f);
        REQUIRE(dates.front().year <= 2013);
        REQUIRE(dates.back().year >= 2035);
    }
}
