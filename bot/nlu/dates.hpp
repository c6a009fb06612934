// bot layer, NLU: dates and times in mainland usage (DESIGN §3): relative days (明天, 大后天,
// 3天后, 两天前), weekdays (周三 = the next Wednesday after today, 下周三 = Wednesday of next
// calendar week, weeks start on Monday), calendar dates (12月1日, 2026年3月3号, 下个月5号,
// 月底), holidays (元旦 ... 国庆, lunar ones from a table), parts of day (上午, 明早, 晚上),
// clock times (十点半, 15:30, 三点一刻; a bare hour 1-6 is afternoon), ranges (start kept).
#pragma once

#include "model/civil_date.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::bot::nlu {

// The reference instant, already read in the resident's UTC offset.
struct local_time {
    model::civil_date date;
    int hour = 0;
    int minute = 0;
};

struct datetime_result {
    std::optional<model::civil_date> date;
    std::optional<int> hour;         // 0..23
    std::optional<int> minute;       // 0..59
    std::optional<std::string> part; // am | pm | evening
    bool found() const { return date || hour || part; }
};

// Scans the (normalised) text. Characters marked in `taken` are not read (a case number "12号"
// must not become the 12th); what the scanner consumed is marked in `taken` on return.
datetime_result
extract_datetime(std::u32string_view text, const local_time& now, std::vector<bool>& taken);

} // namespace daiban::bot::nlu
