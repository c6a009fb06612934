// bot layer, NLU: Gregorian dates of the Chinese lunisolar festivals and of 清明 (a solar term),
// one row per year, 2012-2036 (the NLU needs 2013-2035 plus a year either side to roll over).
#pragma once

#include "model/civil_date.hpp"

#include <optional>
#include <span>

namespace daiban::bot::nlu {

enum class lunar_festival {
    spring,       // 春节, 正月初一
    lantern,      // 元宵, 正月十五
    qingming,     // 清明 (solar term)
    dragon_boat,  // 端午, 五月初五
    qixi,         // 七夕, 七月初七
    mid_autumn,   // 中秋, 八月十五
    double_ninth, // 重阳, 九月初九
    laba,         // 腊八, 腊月初八 (of the lunar year that starts in the row's year)
    new_year_eve, // 除夕, the day before 春节
};

// Every known date of the festival, in increasing order.
std::span<const model::civil_date> lunar_festival_dates(lunar_festival f);

} // namespace daiban::bot::nlu
