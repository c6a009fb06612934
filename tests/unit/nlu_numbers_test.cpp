// Unit: NLU numbers and money as residents write them.
#include "bot/nlu/numbers.hpp"
#include "common/utf8.hpp"

#include <catch2/catch.hpp>

using namespace daiban::bot::nlu;

namespace {
double value(std::string_view s) {
    auto t = daiban::utf8::decode(s);
    auto m = read_number(t, 0);
    REQUIRE(m);
    CHECK(m->end == t.size());
    return m->value;
}
std::optional<double> money(std::string_view s) {
    auto t = daiban::utf8::decode(s);
    std::vector<bool> taken(t.size(), false);
    auto m = find_money(t, taken);
    if (!m) return std::nullopt;
    return m->value;
}
} // namespace

TEST_CASE("Chinese — Arabic and mixed numerals", "[unit][nlu]") {
    CHECK(value("一千二") == 1200);
    CHECK(value("三百五") == 350);
    CHECK(value("两万五") == 25000);
    CHECK(value("二百六十八") == 268);
    CHECK(value("一百零五") == 105);
    CHECK(value("十五") == 15);
    CHECK(value("二零一三") == 2013);
    CHECK(value("1.5万") == 15000);
    CHECK(value("876.5") == Approx(876.5));
}

TEST_CASE("money amounts with and without a unit", "[unit][nlu]") {
    CHECK(money("二百六十八块") == 268);
    CHECK(money("到账876.5元") == Approx(876.5));
    CHECK(money("转了120元") == 120);
    CHECK(money("钱转给代理员了 一共三百五") == 350);
    CHECK(money("三块五") == Approx(3.5));
    CHECK(money("¥99") == 99);
    CHECK(money("保费1.5万元") == 15000);
    CHECK_FALSE(money("我有三个孩子"));
}
