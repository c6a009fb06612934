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
