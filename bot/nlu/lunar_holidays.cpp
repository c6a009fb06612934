// bot layer, NLU: the lunar festival table (see lunar_holidays.hpp).
// Source of the dates: the Chinese calendar as computed by the lunar-javascript library
// (6tail/lunar-javascript, MIT), cross-checked against the State Council holiday notices for
// 2013-2026 (春节, 清明, 端午, 中秋). Facts, not code: regenerate with any Chinese-calendar tool.
#include "bot/nlu/lunar_holidays.hpp"

#include <array>

namespace daiban::bot::nlu {

namespace {

using model::civil_date;

constexpr std::array<civil_date, 25> spring_dates{{
    {2012, 1, 23}, {2013, 2, 10}, {2014, 1, 31}, {2015, 2, 19}, {2016, 2, 8},
    {2017, 1, 28}, {2018, 2, 16}, {2019, 2, 5},  {2020, 1, 25}, {2021, 2, 12},
    {2022, 2, 1},  {2023, 1, 22}, {2024, 2, 10}, {2025, 1, 29}, {2026, 2, 17},
    {2027, 2, 6},  {2028, 1, 26}, {2029, 2, 13}, {2030, 2, 3},  {2031, 1, 23},
    {2032, 2, 11}, {2033, 1, 31}, {2034, 2, 19}, {2035, 2, 8},  {2036, 1, 28},
}};
constexpr std::array<civil_date, 25> lantern_dates{{
    {2012, 2, 6},  {2013, 2, 24}, {2014, 2, 14}, {2015, 3, 5},  {2016, 2, 22},
    {2017, 2, 11}, {2018, 3, 2},  {2019, 2, 19}, {2020, 2, 8},  {2021, 2, 26},
    {2022, 2, 15}, {2023, 2, 5},  {2024, 2, 24}, {2025, 2, 12}, {2026, 3, 3},
    {2027, 2, 20}, {2028, 2, 9},  {2029, 2, 27}, {2030, 2, 17}, {2031, 2, 6},
    {2032, 2, 25}, {2033, 2, 14}, {2034, 3, 5},  {2035, 2, 22}, {2036, 2, 11},
}};
constexpr std::array<civil_date, 25> qingming_dates{{
    {2012, 4, 4}, {2013, 4, 4}, {2014, 4, 5}, {2015, 4, 5}, {2016, 4, 4},
    {2017, 4, 4}, {2018, 4, 5}, {2019, 4, 5}, {2020, 4, 4}, {2021, 4, 4},
    {2022, 4, 5}, {2023, 4, 5}, {2024, 4, 4}, {2025, 4, 4}, {2026, 4, 5},
    {2027, 4, 5}, {2028, 4, 4}, {2029, 4, 4}, {2030, 4, 5}, {2031, 4, 5},
    {2032, 4, 4}, {2033, 4, 4}, {2034, 4, 5}, {2035, 4, 5}, {2036, 4, 4},
}};
constexpr std::array<civil_date, 25> dragon_boat_dates{{
    {2012, 6, 23}, {2013, 6, 12}, {2014, 6, 2},  {2015, 6, 20}, {2016, 6, 9},
    {2017, 5, 30}, {2018, 6, 18}, {2019, 6, 7},  {2020, 6, 25}, {2021, 6, 14},
    {2022, 6, 3},  {2023, 6, 22}, {2024, 6, 10}, {2025, 5, 31}, {2026, 6, 19},
    {2027, 6, 9},  {2028, 5, 28}, {2029, 6, 16}, {2030, 6, 5},  {2031, 6, 24},
    {2032, 6, 12}, {2033, 6, 1},  {2034, 6, 20}, {2035, 6, 10}, {2036, 5, 30},
}};
constexpr std::array<civil_date, 25> qixi_dates{{
    {2012, 8, 23}, {2013, 8, 13}, {2014, 8, 2},  {2015, 8, 20}, {2016, 8, 9},
    {2017, 8, 28}, {2018, 8, 17}, {2019, 8, 7},  {2020, 8, 25}, {2021, 8, 14},
    {2022, 8, 4},  {2023, 8, 22}, {2024, 8, 10}, {2025, 8, 29}, {2026, 8, 19},
    {2027, 8, 8},  {2028, 8, 26}, {2029, 8, 16}, {2030, 8, 5},  {2031, 8, 24},
    {2032, 8, 12}, {2033, 8, 1},  {2034, 8, 20}, {2035, 8, 10}, {2036, 8, 28},
}};
constexpr std::array<civil_date, 25> mid_autumn_dates{{
    {2012, 9, 30}, {2013, 9, 19}, {2014, 9, 8},  {2015, 9, 27}, {2016, 9, 15},
    {2017, 10, 4}, {2018, 9, 24}, {2019, 9, 13}, {2020, 10, 1}, {2021, 9, 21},
    {2022, 9, 10}, {2023, 9, 29}, {2024, 9, 17}, {2025, 10, 6}, {2026, 9, 25},
    {2027, 9, 15}, {2028, 10, 3}, {2029, 9, 22}, {2030, 9, 12}, {2031, 10, 1},
    {2032, 9, 19}, {2033, 9, 8},  {2034, 9, 27}, {2035, 9, 16}, {2036, 10, 4},
}};
constexpr std::array<civil_date, 25> double_ninth_dates{{
    {2012, 10, 23}, {2013, 10, 13}, {2014, 10, 2},  {2015, 10, 21}, {2016, 10, 9},
    {2017, 10, 28}, {2018, 10, 17}, {2019, 10, 7},  {2020, 10, 25}, {2021, 10, 14},
    {2022, 10, 4},  {2023, 10, 23}, {2024, 10, 11}, {2025, 10, 29}, {2026, 10, 18},
    {2027, 10, 8},  {2028, 10, 26}, {2029, 10, 16}, {2030, 10, 5},  {2031, 10, 24},
    {2032, 10, 12}, {2033, 10, 1},  {2034, 10, 20}, {2035, 10, 9},  {2036, 10, 27},
}};
constexpr std::array<civil_date, 25> laba_dates{{
    {2013, 1, 19},  {2014, 1, 8},  {2015, 1, 27}, {2016, 1, 17}, {2017, 1, 5},
    {2018, 1, 24},  {2019, 1, 13}, {2020, 1, 2},  {2021, 1, 20}, {2022, 1, 10},
    {2022, 12, 30}, {2024, 1, 18}, {2025, 1, 7},  {2026, 1, 26}, {2027, 1, 15},
    {2028, 1, 4},   {2029, 1, 22}, {2030, 1, 11}, {2031, 1, 1},  {2032, 1, 20},
    {2033, 1, 8},   {2034, 1, 27}, {2035, 1, 16}, {2036, 1, 5},  {2037, 1, 23},
}};

// 除夕 is the last day of the lunar year: the day before each 春节.
const std::array<civil_date, spring_dates.size()> new_year_eve_dates = [] {
    std::array<civil_date, spring_dates.size()> a{};
    for (std::size_t i = 0; i < a.size(); ++i)
        a[i] = spring_dates[i].plus_days(-1);
    return a;
}();

} // namespace

std::span<const civil_date> lunar_festival_dates(lunar_festival f) {
    switch (f) {
    case lunar_festival::spring:
        return spring_dates;
    case lunar_festival::lantern:
        return lantern_dates;
    case lunar_festival::qingming:
        return qingming_dates;
    case lunar_festival::dragon_boat:
        return dragon_boat_dates;
    case lunar_festival::qixi:
        return qixi_dates;
    case lunar_festival::mid_autumn:
        return mid_autumn_dates;
    case lunar_festival::double_ninth:
        return double_ninth_dates;
    case lunar_festival::laba:
        return laba_dates;
    case lunar_festival::new_year_eve:
        return new_year_eve_dates;
    }
    return {};
}

} // namespace daiban::bot::nlu
