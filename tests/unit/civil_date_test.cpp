// Unit: date arithmetic that due dates and "下周三" depend on.
#include "model/civil_date.hpp"

#include <catch2/catch.hpp>

using daiban::model::civil_date;

TEST_CASE("civil dates round-trip and know their weekday", "[unit][date]") {
    const civil_date d{2026, 11, 18};
    CHECK(d.iso_weekday() == 3); // the NLU dev set's reference day is a Wednesday
    CHECK(civil_date::from_days(d.to_days()) == d);
    CHECK(d.plus_days(14).iso() == "2026-12-02");
    CHECK(civil_date{2024, 2, 28}.plus_days(1).iso() == "2024-02-29");
    CHECK(civil_date{1969, 12, 31}.to_days() == -1);
    CHECK(civil_date::parse_iso("2026-02-30") == std::nullopt);
    CHECK(civil_date::parse_iso("2026-02-17").value().iso_weekday() == 2);
    // 2013-02-12T04:30:00-02:00 is still the 12th locally, though the 12th 06:30 in UTC.
    CHECK(civil_date::from_unix(1360650600, -120).iso() == "2013-02-12");
}
