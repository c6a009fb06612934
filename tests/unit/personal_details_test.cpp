// Unit: personal details, the one rule (common/personal_details.hpp): what a group must not see
// (GB 11643 ID-card check digit, mobile numbers) and what the log masks.
#include "common/personal_details.hpp"

#include <catch2/catch.hpp>

using namespace daiban::personal;

TEST_CASE("ID-card numbers need a valid GB 11643 check digit", "[unit][personal]") {
    CHECK(valid_id_card("11010519491231002X"));
    CHECK(valid_id_card("11010519491231002x"));
    CHECK_FALSE(valid_id_card("110105194912310021"));
    CHECK_FALSE(valid_id_card("1101051949123100"));
}

TEST_CASE("personal details in a message", "[unit][personal]") {
    CHECK(contains("我的身份证号是11010519491231002X，帮我查下"));
    CHECK(contains("电话13842101234"));
    CHECK_FALSE(contains("订单号110105194912310021"));
    CHECK_FALSE(contains("接单 12"));
    // Twelve digits are not a mobile number.
    CHECK_FALSE(contains("138421012345"));
    CHECK_FALSE(contains("编号 DEMO-20261122-0012"));
}

TEST_CASE("the log masks the middle of ID-card and mobile numbers", "[unit][personal]") {
    CHECK(mask("身份证11010519491231002X 电话13842101234") ==
          "身份证110105********002X 电话138****1234");
    // A mistyped ID number (wrong check digit) is still somebody's: masked, though no warning.
    CHECK(mask("110105194912310021") == "110105********0021");
    CHECK(mask("接单 12，订单 DEMO-20261122-0012") == "接单 12，订单 DEMO-20261122-0012");
}

TEST_CASE("ID-card and mobile numbers written in groups or in full-width digits",
          "[unit][personal]") {
    // As people type them into a chat: 6-8-4 and 3-4-4, spaced or dashed.
    CHECK(contains("身份证 110105 19491231 002X"));
    CHECK(contains("身份证110105-19491231-002X"));
    CHECK(contains("身份证 110105　19491231　002X")); // ideographic spaces
    CHECK(contains("电话 138 4210 1234"));
    CHECK(contains("电话138-4210-1234"));
    CHECK(contains("电话138－4210－1234")); // full-width hyphens
    // Full-width digits (a Chinese input method's default), together or grouped.
    CHECK(contains("身份证１１０１０５１９４９１２３１００２Ｘ"));
    CHECK(contains("身份证１１０１０５ １９４９１２３１ ００２ｘ"));
    CHECK(contains("电话１３８４２１０１２３４"));
    CHECK(contains("电话１３８ ４２１０ １２３４"));
    // Which kind, and the span found (separators included).
    const std::string text = "号码 110105 19491231 002X 和 138-4210-1234";
    const auto found = find(text);
    REQUIRE(found.size() == 2);
    CHECK(found[0].kind == detail_kind::id_card);
    CHECK(text.substr(found[0].pos, found[0].len) == "110105 19491231 002X");
    CHECK(found[1].kind == detail_kind::mobile);
    CHECK(text.substr(found[1].pos, found[1].len) == "138-4210-1234");
}

TEST_CASE("groups that only look like numbers are not personal details", "[unit][personal]") {
    // A wrong check digit, in groups, is no ID card (no warning; the log still masks it).
    CHECK_FALSE(contains("110105 19491231 0021"));
    // Other groupings: dates, case codes, amounts, a mobile number's digits grouped otherwise.
    CHECK_FALSE(contains("2026-11-22 办结"));
    CHECK_FALSE(contains("编号 DEMO-20261122-0012"));
    CHECK_FALSE(contains("1384 2101 234"));
    CHECK_FALSE(contains("138 4210 12345"));
    CHECK_FALSE(contains("预约 1 2 3"));
    // Two numbers side by side are still each found.
    CHECK(find("2024 13842101234").size() == 1);
}

TEST_CASE("the log masks grouped and full-width numbers too", "[unit][personal]") {
    CHECK(mask("身份证 110105 19491231 002X") == "身份证 110105 ******** 002X");
    CHECK(mask("电话138-4210-1234。") == "电话138-****-1234。");
    CHECK(mask("电话１３８４２１０１２３４") == "电话１３８****１２３４");
    // A mistyped grouped ID number is masked as well.
    CHECK(mask("110105-19491231-0021") == "110105-********-0021");
}
