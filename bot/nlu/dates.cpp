// bot layer, NLU: date and time expressions (see dates.hpp for the semantics).
#include "bot/nlu/dates.hpp"

#include "bot/nlu/lunar_holidays.hpp"
#include "bot/nlu/numbers.hpp"

#include <array>

namespace daiban::bot::nlu {

namespace {

using model::civil_date;

// How sure a date reading is: an explicit calendar date or a holiday beats a weekday or a
// relative day, which beat vague ones (下周, 下个月, 春节前); among equals the first one said
// wins, which is how ranges keep their start ("周一到周五", "12号到3号").
enum rank : int { none = 0, vague = 1, relative = 2, absolute = 3 };

struct fixed_holiday {
    std::u32string_view name;
    int month, day;
};
// Gregorian-date holidays and days residents name (mainland public holidays and common ones).
constexpr fixed_holiday fixed_holidays[] = {
    {U"元旦节", 1, 1},         {U"元旦", 1, 1},
    {U"阳历新年", 1, 1},       {U"公历新年", 1, 1},
    {U"情人节", 2, 14},        {U"圣瓦伦丁节", 2, 14},
    {U"三八妇女节", 3, 8},     {U"三八节", 3, 8},
    {U"妇女节", 3, 8},         {U"植树节", 3, 12},
    {U"消费者权益日", 3, 15},  {U"三一五", 3, 15},
    {U"愚人节", 4, 1},         {U"五一国际劳动节", 5, 1},
    {U"国际劳动节", 5, 1},     {U"五一劳动节", 5, 1},
    {U"劳动节", 5, 1},         {U"五一节", 5, 1},
    {U"五一", 5, 1},           {U"五四青年节", 5, 4},
    {U"青年节", 5, 4},         {U"六一儿童节", 6, 1},
    {U"国际儿童节", 6, 1},     {U"儿童节", 6, 1},
    {U"六一", 6, 1},           {U"建党节", 7, 1},
    {U"香港回归纪念日", 7, 1}, {U"八一建军节", 8, 1},
    {U"建军节", 8, 1},         {U"教师节", 9, 10},
    {U"国庆节", 10, 1},        {U"国庆", 10, 1},
    {U"万圣节", 10, 31},       {U"澳门回归纪念日", 12, 20},
    {U"平安夜", 12, 24},       {U"圣诞节", 12, 25},
    {U"圣诞", 12, 25},
};

struct lunar_holiday {
    std::u32string_view name;
    lunar_festival festival;
};
constexpr lunar_holiday lunar_holidays[] = {
    {U"农历新年", lunar_festival::spring},     {U"春节", lunar_festival::spring},
    {U"新春", lunar_festival::spring},         {U"大年初一", lunar_festival::spring},
    {U"正月初一", lunar_festival::spring},     {U"正月正时", lunar_festival::spring},
    {U"正月朔日", lunar_festival::spring},     {U"过年", lunar_festival::spring},
    {U"除夕", lunar_festival::new_year_eve},   {U"大年三十", lunar_festival::new_year_eve},
    {U"年三十", lunar_festival::new_year_eve}, {U"大年夜", lunar_festival::new_year_eve},
    {U"元宵节", lunar_festival::lantern},      {U"元宵", lunar_festival::lantern},
    {U"正月十五", lunar_festival::lantern},    {U"清明节", lunar_festival::qingming},
    {U"清明", lunar_festival::qingming},       {U"端午节", lunar_festival::dragon_boat},
    {U"端午", lunar_festival::dragon_boat},    {U"七夕节", lunar_festival::qixi},
    {U"七夕", lunar_festival::qixi},           {U"中秋节", lunar_festival::mid_autumn},
    {U"中秋", lunar_festival::mid_autumn},     {U"重阳节", lunar_festival::double_ninth},
    {U"重阳", lunar_festival::double_ninth},   {U"腊八节", lunar_festival::laba},
    {U"腊八", lunar_festival::laba},
};

struct word_day {
    std::u32string_view word;
    int offset;
    const char* part; // nullptr: no part of day
};
constexpr word_day word_days[] = {
    {U"大大后天", 4, nullptr}, {U"大后天", 3, nullptr},  {U"大后日", 3, nullptr},
    {U"大前天", -3, nullptr},  {U"后天", 2, nullptr},    {U"后日", 2, nullptr},
    {U"明天", 1, nullptr},     {U"明日", 1, nullptr},    {U"明儿", 1, nullptr},
    {U"听日", 1, nullptr},     {U"今天", 0, nullptr},    {U"今日", 0, nullptr},
    {U"今儿", 0, nullptr},     {U"当天", 0, nullptr},    {U"昨天", -1, nullptr},
    {U"昨日", -1, nullptr},    {U"寻日", -1, nullptr},   {U"昨儿", -1, nullptr},
    {U"前天", -2, nullptr},    {U"前日", -2, nullptr},   {U"今早", 0, "am"},
    {U"今晨", 0, "am"},        {U"今晚", 0, "evening"},  {U"今夜", 0, "evening"},
    {U"明早", 1, "am"},        {U"明晨", 1, "am"},       {U"明晚", 1, "evening"},
    {U"昨晚", -1, "evening"},  {U"昨夜", -1, "evening"},
};

struct part_word {
    std::u32string_view word;
    const char* part;
};
constexpr part_word part_words[] = {
    {U"凌晨", "am"},      {U"早上", "am"},      {U"早晨", "am"},      {U"清早", "am"},
    {U"一大早", "am"},    {U"一早", "am"},      {U"大早上", "am"},    {U"上午", "am"},
    {U"上半天", "am"},    {U"中午", "pm"},      {U"晌午", "pm"},      {U"午后", "pm"},
    {U"下午", "pm"},      {U"下半天", "pm"},    {U"晏昼", "pm"},      {U"傍晚", "evening"},
    {U"晚上", "evening"}, {U"晚间", "evening"}, {U"夜里", "evening"}, {U"夜间", "evening"},
    {U"夜晚", "evening"}, {U"半夜", "evening"},
};

int weekday_of(char32_t c) {
    switch (c) {
    case U'一':
    case U'1':
        return 1;
    case U'二':
    case U'2':
        return 2;
    case U'三':
    case U'3':
        return 3;
    case U'四':
    case U'4':
        return 4;
    case U'五':
    case U'5':
        return 5;
    case U'六':
    case U'6':
        return 6;
    case U'日':
    case U'天':
    case U'7':
        return 7;
    default:
        return 0;
    }
}

bool is_measure_after_day(char32_t c) {
    // "三月一" is March 1st, but "三月一次" / "五月三天" are not dates.
    switch (c) {
    case U'次':
    case U'天':
    case U'个':
    case U'趟':
    case U'回':
    case U'块':
    case U'元':
    case U'岁':
    case U'斤':
    case U'亩':
    case U'人':
    case U'户':
    case U'张':
    case U'份':
    case U'年':
    case U'月':
    case U'万':
    case U'千':
    case U'百':
    case U'周':
    case U'分':
    case U'点':
    case U'号':
    case U'日':
    case U'.':
        return true;
    default:
        return is_number_char(c);
    }
}

class scanner {
public:
    scanner(std::u32string_view s, const local_time& now, std::vector<bool>& taken)
        : s_(s), now_(now), taken_(taken) {}

    datetime_result run() {
        for (std::size_t i = 0; i < s_.size();) {
            if (taken_[i]) {
                ++i;
                continue;
            }
            const std::size_t n = try_at(i);
            if (n == 0) {
                ++i;
                continue;
            }
            for (std::size_t k = i; k < i + n && k < s_.size(); ++k)
                taken_[k] = true;
            last_end_ = i + n;
            i += n;
        }
        return resolve();
    }

private:
    std::u32string_view s_;
    local_time now_;
    std::vector<bool>& taken_;

    std::optional<civil_date> date_;
    int date_rank_ = none;
    std::optional<int> hour_, minute_;
    std::optional<std::string> part_;
    bool part_from_word_ = false;
    std::optional<int> year_; // 2015年, 明年: applies to the month/holiday that follows
    std::optional<long long> shift_minutes_; // 两分钟前, 三小时后
    std::size_t last_end_ = static_cast<std::size_t>(-1);

    char32_t at(std::size_t i) const { return i < s_.size() ? s_[i] : U'\0'; }
    bool free(std::size_t b, std::size_t e) const {
        if (e > s_.size()) return false;
        for (std::size_t k = b; k < e; ++k)
            if (taken_[k]) return false;
        return true;
    }
    bool word(std::size_t i, std::u32string_view w) const {
        return i + w.size() <= s_.size() && s_.substr(i, w.size()) == w && free(i, i + w.size());
    }
    std::optional<number_match> number(std::size_t i) const {
        if (i >= s_.size() || taken_[i]) return std::nullopt;
        auto m = read_number(s_, i);
        if (!m || !free(m->begin, m->end)) return std::nullopt;
        // No part of a date or time comes near a million (a year, a count of days or months,
        // minutes). A longer number (a phone or ID-card number, 400 digits read as infinity) is
        // none of them, and the readers below convert numbers to int: out of int's range that
        // conversion is undefined behaviour (UBSan, float-cast-overflow: tests/fuzz).
        if (!(m->value >= 0 && m->value < 1e6)) return std::nullopt;
        return m;
    }

    void set_date(civil_date d, int r) {
        if (!d.valid()) return;
        if (!date_ || r > date_rank_) {
            date_ = d;
            date_rank_ = r;
        }
    }
    void set_part(const char* p) {
        if (!part_) {
            part_ = p;
            part_from_word_ = true;
        }
    }
    void set_clock(int h, int m) {
        if (!hour_ && h >= 0 && h <= 24 && m >= 0 && m < 60) {
            hour_ = h;
            minute_ = m;
        }
    }

    civil_date today() const { return now_.date; }
    civil_date monday(int weeks) const {
        return today().plus_days(1 - today().iso_weekday() + 7 * weeks);
    }
    static civil_date add_months(civil_date d, int months) {
        int m0 = d.year * 12 + (d.month - 1) + months;
        civil_date r{m0 / 12, m0 % 12 + 1, d.day};
        const int last = civil_date::days_in_month(r.year, r.month);
        if (r.day > last) r.day = last;
        return r;
    }

    // A month/day without a year: this year, unless that is well in the past (people mean the
    // coming one: "1月5号" said in November), then next year.
    civil_date month_day(int month, int day) const {
        if (year_) return {*year_, month, day};
        civil_date d{today().year, month, day};
        if (d.valid() && d.to_days() < today().to_days() - 45) d.year += 1;
        return d;
    }

    std::size_t try_at(std::size_t i) {
        if (auto n = try_holiday(i)) return n;
        if (auto n = try_year(i)) return n;
        if (auto n = try_relative_month(i)) return n;
        if (auto n = try_word_day(i)) return n;
        if (auto n = try_shift(i)) return n;
        if (auto n = try_numeric_date(i)) return n;
        if (auto n = try_month_day(i)) return n;
        if (auto n = try_weekday(i)) return n;
        if (auto n = try_clock(i)) return n;
        if (auto n = try_part(i)) return n;
        if (auto n = try_now(i)) return n;
        return 0;
    }

    // 前/后/以前/之后 right after a day makes it a boundary ("春节前回不去"), not the day meant.
    std::size_t boundary_suffix(std::size_t e) const {
        for (std::u32string_view w : {U"以前", U"之前", U"以后", U"之后", U"前", U"后"})
            if (word(e, w)) return w.size();
        return 0;
    }

    std::size_t try_holiday(std::size_t i) {
        for (const auto& h : fixed_holidays) {
            if (!word(i, h.name)) continue;
            // "五一" / "六一" must not be the start of a longer number (五一二).
            if (is_number_char(at(i + h.name.size())) || (i > 0 && is_number_char(at(i - 1))))
                continue;
            civil_date d{year_.value_or(today().year), h.month, h.day};
            if (!year_ && d < today()) d.year += 1;
            const std::size_t b = boundary_suffix(i + h.name.size());
            set_date(d, b ? vague : absolute);
            return h.name.size();
        }
        for (const auto& h : lunar_holidays) {
            if (!word(i, h.name)) continue;
            std::optional<civil_date> pick;
            for (const civil_date& d : lunar_festival_dates(h.festival)) {
                if (year_ ? d.year == *year_ : d >= today()) {
                    pick = d;
                    break;
                }
            }
            const bool is_guonian = h.name == U"过年";
            const std::size_t b = boundary_suffix(i + h.name.size());
            if (pick) set_date(*pick, b || is_guonian ? vague : absolute);
            return h.name.size();
        }
        return 0;
    }

    std::size_t try_year(std::size_t i) {
        static constexpr std::pair<std::u32string_view, int> rel[] = {
            {U"今年", 0},  {U"明年", 1}, {U"后年", 2}, {U"去年", -1},
            {U"前年", -2}, {U"下年", 1}, {U"上年", -1}};
        for (const auto& [w, off] : rel)
            if (word(i, w)) {
                year_ = today().year + off;
                return w.size();
            }
        if (i > 0 && is_number_char(at(i - 1))) return 0;
        auto n = number(i);
        if (!n || at(n->end) != U'年' || !free(n->end, n->end + 1)) return 0;
        int y = static_cast<int>(n->value);
        if (n->digits == 2 && y < 100)
            y += 2000;
        else if (n->digits != 4)
            return 0;
        if (y < 1900 || y > 2100) return 0;
        year_ = y;
        return n->end + 1 - i;
    }

    // 下个月5号, 这个月底, 上个月, 下下个月初
    std::size_t try_relative_month(std::size_t i) {
        static constexpr std::pair<std::u32string_view, int> rel[] = {
            {U"下下个月", 2}, {U"下个月", 1}, {U"下月", 1}, {U"上个月", -1}, {U"上月", -1},
            {U"这个月", 0},   {U"本月", 0},   {U"当月", 0}, {U"今个月", 0},  {U"这月", 0}};
        for (const auto& [w, off] : rel) {
            if (!word(i, w)) continue;
            const civil_date first = add_months({today().year, today().month, 1}, off);
            const std::size_t e = i + w.size();
            if (auto n = day_tail(e, first.year, first.month)) return e + n - i;
            set_date(first, vague);
            return w.size();
        }
        // A bare 月底 / 月初 / 月中: this month.
        if (at(i) == U'月' && !(i > 0 && is_number_char(at(i - 1)))) {
            if (auto n = day_tail(i + 1, today().year, today().month, true)) return 1 + n;
        }
        return 0;
    }

    // After "…月": a day (5号, 五日, 5), or 底/末/尾 (last day), 初/头 (1st), 中 (15th), or
    // 第N个星期X. `infer_year`: the year was not said, pick it (see month_day). Returns the
    // characters consumed (0: none).
    std::size_t
    day_tail(std::size_t e, int year, int month, bool only_words = false, bool infer_year = false) {
        auto make = [&](int d) {
            return infer_year ? month_day(month, d) : civil_date{year, month, d};
        };
        if (infer_year) year = make(1).year;
        const civil_date first{year, month, 1};
        for (std::u32string_view w : {U"底", U"末", U"尾"})
            if (word(e, w)) {
                set_date(make(civil_date::days_in_month(year, month)), absolute);
                return w.size();
            }
        for (std::u32string_view w : {U"初", U"头"})
            if (word(e, w)) {
                set_date(make(1), absolute);
                return w.size();
            }
        if (word(e, U"中旬") || (word(e, U"中") && !word(e, U"中心"))) {
            set_date(make(15), absolute);
            return word(e, U"中旬") ? 2 : 1;
        }
        if (only_words) return 0;
        if (word(e, U"份")) {
            if (auto n = day_tail(e + 1, year, month, false, infer_year)) return 1 + n;
            set_date(make(1), vague); // "3月份": the month, read as its first day
            return 1;
        }
        if (auto n = number(e)) {
            const int d = static_cast<int>(n->value);
            if (n->value != d || d < 1 || d > 31) return 0;
            std::size_t k = n->end;
            if (word(k, U"号") || word(k, U"日")) {
                ++k;
            } else if (k < s_.size() && is_measure_after_day(at(k))) {
                return 0;
            }
            set_date(make(d), absolute);
            return k - e;
        }
        // 十月第一个星期一
        if (word(e, U"第") || word(e, U"的第")) {
            std::size_t k = e + (word(e, U"的第") ? 2 : 1);
            auto n = number(k);
            if (!n || n->value < 1 || n->value > 5) return 0;
            k = n->end;
            if (word(k, U"个")) ++k;
            std::size_t wl = 0;
            for (std::u32string_view w : {U"星期", U"礼拜", U"周"})
                if (word(k, w)) {
                    wl = w.size();
                    break;
                }
            const int wd = wl ? weekday_of(at(k + wl)) : 0;
            if (!wd) return 0;
            const int delta = (wd - first.iso_weekday() + 7) % 7;
            set_date(first.plus_days(delta + 7 * (static_cast<int>(n->value) - 1)), absolute);
            return k + wl + 1 - e;
        }
        return 0;
    }

    std::size_t try_word_day(std::size_t i) {
        for (const auto& w : word_days) {
            if (!word(i, w.word)) continue;
            set_date(today().plus_days(w.offset), relative);
            if (w.part) set_part(w.part);
            return w.word.size();
        }
        return 0;
    }

    // 3天后, 两天前, 两个星期后, 三分钟之后, 前两天, 上两分钟, 过两天, 半个月后
    std::size_t try_shift(std::size_t i) {
        int sign = 0;
        bool prefix = false, next_span = false;
        std::size_t k = i;
        const char32_t c = at(i);
        if ((c == U'前' || c == U'上') && (number(i + 1) || word(i + 1, U"半"))) {
            sign = -1;
            prefix = true;
            k = i + 1;
        } else if ((c == U'过' || c == U'再') && (number(i + 1) || word(i + 1, U"半"))) {
            sign = 1;
            prefix = true;
            k = i + 1;
        } else if ((c == U'下' || c == U'后') && (number(i + 1) || word(i + 1, U"半"))) {
            sign = 1;
            prefix = true;
            next_span = true; // 下三天: the next three days, starting tomorrow
            k = i + 1;
        }
        if (i > 0 && is_number_char(at(i - 1)) && !prefix) return 0;
        double amount = 0;
        if (word(k, U"半")) {
            amount = 0.5;
            ++k;
        } else if (auto n = number(k)) {
            amount = n->value;
            k = n->end;
            if (word(k, U"半")) {
                amount += 0.5;
                ++k;
            }
        } else {
            return 0;
        }
        if (word(k, U"个")) ++k;
        enum { days, weeks, months, years, hours, minutes, seconds } unit;
        std::size_t ul = 0;
        if (word(k, U"天") || word(k, U"日"))
            unit = days, ul = 1;
        else if (word(k, U"星期") || word(k, U"礼拜"))
            unit = weeks, ul = 2;
        else if (word(k, U"周"))
            unit = weeks, ul = 1;
        else if (word(k, U"月"))
            unit = months, ul = 1;
        else if (word(k, U"年"))
            unit = years, ul = 1;
        else if (word(k, U"小时") || word(k, U"钟头"))
            unit = hours, ul = 2;
        else if (word(k, U"钟"))
            unit = hours, ul = 1;
        else if (word(k, U"分钟"))
            unit = minutes, ul = 2;
        else if (word(k, U"秒钟"))
            unit = seconds, ul = 2;
        else if (word(k, U"秒"))
            unit = seconds, ul = 1;
        else
            return 0;
        k += ul;
        if (unit == months && !word(k - 2, U"个") && !prefix && amount != 0.5) {
            // "3月后" reads as a month name; require 个 unless prefixed
            if (!(word(k, U"后") || word(k, U"前") || word(k, U"以后") || word(k, U"之后") ||
                  word(k, U"以前") || word(k, U"之前")))
                return 0;
        }
        if (!prefix) {
            if (word(k, U"之后") || word(k, U"以后"))
                sign = 1, k += 2;
            else if (word(k, U"之前") || word(k, U"以前"))
                sign = -1, k += 2;
            else if (word(k, U"后"))
                sign = 1, k += 1;
            else if (word(k, U"前"))
                sign = -1, k += 1;
            else
                return 0;
        }
        switch (unit) {
        case days:
            set_date(today().plus_days(next_span ? 1 : sign * static_cast<long long>(amount)),
                     relative);
            break;
        case weeks:
            set_date(today().plus_days(sign * static_cast<long long>(amount * 7)), relative);
            break;
        case months:
            if (amount == 0.5)
                set_date(today().plus_days(sign * 15), relative);
            else
                set_date(add_months(today(), sign * static_cast<int>(amount)), relative);
            break;
        case years:
            set_date(add_months(today(), sign * 12 * static_cast<int>(amount)), relative);
            break;
        case hours:
            if (!shift_minutes_) shift_minutes_ = sign * static_cast<long long>(amount * 60);
            break;
        case minutes:
            if (!shift_minutes_) shift_minutes_ = sign * static_cast<long long>(amount);
            break;
        case seconds:
            break;
        }
        return k - i;
    }

    // 2015-3-3, 2015/03/03, 2015.3.3, 3/3/2015, 10/31/74, 2/15
    std::size_t try_numeric_date(std::size_t i) {
        if (i > 0 && (is_number_char(at(i - 1)) || at(i - 1) == U'.')) return 0;
        auto a = number(i);
        if (!a || !a->arabic) return 0;
        const char32_t sep = at(a->end);
        if (sep != U'-' && sep != U'/' && sep != U'.') return 0;
        auto b = number(a->end + 1);
        if (!b || !b->arabic) return 0;
        const int x = static_cast<int>(a->value), y = static_cast<int>(b->value);
        if (a->digits == 4 && at(b->end) == sep) {
            auto c = number(b->end + 1);
            if (!c || !c->arabic) return 0;
            set_date({x, y, static_cast<int>(c->value)}, absolute);
            return c->end - i;
        }
        if (sep == U'.') return 0; // 5.73 is a price, not May 73rd
        if (sep == U'/' && at(b->end) == U'/') {
            auto c = number(b->end + 1);
            if (!c || !c->arabic) return 0;
            int yr = static_cast<int>(c->value);
            if (c->digits == 2) yr += yr < 50 ? 2000 : 1900;
            set_date({yr, x, y}, absolute);
            return c->end - i;
        }
        if (sep == U'/' && a->digits <= 2 && b->digits <= 2 && x >= 1 && x <= 12 && y >= 1 &&
            y <= 31) {
            set_date(month_day(x, y), absolute);
            return b->end - i;
        }
        return 0;
    }

    // 12月1日, 二月十五号, 三月一, 3月份; and a bare day "5号" (this month, or next if past).
    std::size_t try_month_day(std::size_t i) {
        if (i > 0 && (is_number_char(at(i - 1)) || at(i - 1) == U'#' || at(i - 1) == U'.'))
            return 0;
        auto n = number(i);
        if (!n || n->value != static_cast<int>(n->value)) return 0;
        const int v = static_cast<int>(n->value);
        if (word(n->end, U"月") && v >= 1 && v <= 12) {
            const int year = year_.value_or(today().year);
            const std::size_t e = n->end + 1;
            if (auto t = day_tail(e, year, v, false, !year_)) return e + t - i;
            // "3月后" / "3个月" are handled elsewhere; a bare month name is vague.
            if (word(e, U"后") || word(e, U"前")) return 0;
            set_date(month_day(v, 1), vague);
            return e - i;
        }
        if ((word(n->end, U"号") || word(n->end, U"日")) && v >= 1 && v <= 31 &&
            !is_number_char(at(n->end + 1))) {
            civil_date d{today().year, today().month, v};
            if (!d.valid() || d < today()) d = add_months({today().year, today().month, 1}, 1);
            if (d.day != v) d.day = v;
            set_date(d, absolute);
            return n->end + 1 - i;
        }
        return 0;
    }

    // 周三, 下周三, 下下周一, 这周六, 上礼拜二, 星期天, 周末, 下周
    std::size_t try_weekday(std::size_t i) {
        static constexpr std::pair<std::u32string_view, int> prefixes[] = {
            {U"下下个", 2}, {U"下下", 2}, {U"上上个", -2}, {U"上上", -2},
            {U"下一个", 1}, {U"下个", 1}, {U"下", 1},      {U"上一个", -1},
            {U"上个", -1},  {U"上", -1},  {U"这个", 0},    {U"这", 0},
            {U"本", 0},     {U"今个", 0}, {U"今", 0},      {U"", 100}};
        for (const auto& [p, weeks] : prefixes) {
            if (!p.empty() && !word(i, p)) continue;
            std::size_t k = i + p.size();
            std::size_t wl = 0;
            for (std::u32string_view w : {U"星期", U"礼拜", U"周"})
                if (word(k, w)) {
                    wl = w.size();
                    break;
                }
            if (!wl) continue;
            k += wl;
            int wd = 0;
            std::size_t dl = 0;
            bool weekend = false;
            if (word(k, U"末"))
                wd = 6, dl = 1, weekend = true;
            else if (free(k, k + 1) && (wd = weekday_of(at(k))) != 0)
                dl = 1;
            // "一周" / "两个礼拜" are durations: the prefix must not be a number
            if (p.empty() && i > 0 && (is_number_char(at(i - 1)) || at(i - 1) == U'个')) return 0;
            if (wd != 0 && at(k) >= U'1' && at(k) <= U'9' && is_number_char(at(k + 1))) wd = 0;
            if (wd == 0) {
                if (weeks == 100 || weeks == 0) return 0; // "周" / "这周" alone: not a day
                set_date(monday(weeks), vague);
                return k - i;
            }
            if (weeks == 100) {
                int delta = (wd - today().iso_weekday() + 7) % 7;
                if (delta == 0 && !weekend) delta = 7; // bare 周三 on a Wednesday: next week's
                set_date(today().plus_days(delta), relative);
            } else {
                set_date(monday(weeks).plus_days(wd - 1), relative);
            }
            return k + dl - i;
        }
        return 0;
    }

    // 十点半, 3点, 15:30, 三点一刻, 八点三十分, 3:30pm, 3pm, 下午三时
    std::size_t try_clock(std::size_t i) {
        if (i > 0 && (is_number_char(at(i - 1)) || at(i - 1) == U'.' || at(i - 1) == U'#'))
            return 0;
        auto n = number(i);
        if (!n || n->value != static_cast<int>(n->value)) return 0;
        const int h = static_cast<int>(n->value);
        if (h < 0 || h > 24) return 0;
        std::size_t k = n->end;
        int m = 0;
        if (at(k) == U':' && n->arabic) {
            auto mm = number(k + 1);
            if (!mm || !mm->arabic || mm->digits != 2 || mm->value >= 60) return 0;
            m = static_cast<int>(mm->value);
            k = mm->end;
            if (at(k) == U':' && number(k + 1)) k = number(k + 1)->end; // seconds
        } else if (word(k, U"点钟") || word(k, U"点") ||
                   (word(k, U"时") && !word(k, U"时候") && !word(k, U"时间"))) {
            // "一点消息都没有" / "一点动静也没" mean "any": not one o'clock
            if (h == 1 && !n->arabic) {
                for (const std::u32string_view any :
                     {U"消息", U"动静", U"音信", U"回音", U"信儿", U"用", U"办法", U"意思", U"都没",
                      U"都不", U"也没", U"也不"})
                    if (word(k + 1, any)) return 0;
            }
            // "快一点" / "早一点" mean "a bit": not one o'clock
            if (h == 1 && !n->arabic && i > 0) {
                const char32_t p = at(i - 1);
                const std::u32string_view bit = U"快早慢多少好大小有点差再晚高低近远清";
                const bool timey = word(k + 1, U"半") || word(k + 1, U"钟") || number(k + 1) ||
                                   word(k + 1, U"到") || word(k + 1, U"去");
                if (bit.find(p) != std::u32string_view::npos && !timey) return 0;
                if (word(k, U"点儿")) return 0;
            }
            k += word(k, U"点钟") ? 2 : 1;
            if (word(k, U"半") || word(k, U"踏半") || word(k, U"搭半")) {
                m = 30;
                k += word(k, U"半") ? 1 : 2;
            } else if (word(k, U"一刻")) {
                m = 15;
                k += 2;
            } else if (word(k, U"三刻")) {
                m = 45;
                k += 2;
            } else if (word(k, U"整")) {
                k += 1;
            } else if ((word(k, U"踏") || word(k, U"搭")) && number(k + 1) &&
                       number(k + 1)->value >= 1 && number(k + 1)->value <= 11) {
                // Cantonese: "两点踏五" is 2:25 (the hand on the 5)
                m = 5 * static_cast<int>(number(k + 1)->value);
                k = number(k + 1)->end;
            } else if (auto units = number(k); units && word(units->end, U"个字") &&
                                               units->value >= 1 && units->value <= 11) {
                // Cantonese: "三点三个字" is 3:15 (three five-minute marks)
                m = 5 * static_cast<int>(units->value);
                k = units->end + 2;
            } else {
                std::size_t q = k;
                if (word(q, U"过") || word(q, U"零")) ++q;
                if (auto mm = number(q);
                    mm && mm->value < 60 && mm->value == static_cast<int>(mm->value)) {
                    // "三点三十分", "三点十五", "8点05"; but not "3点5个人"
                    std::size_t r = mm->end;
                    if (word(r, U"分钟") && !word(r, U"分钟后") && !word(r, U"分钟前"))
                        r += 2;
                    else if (word(r, U"分"))
                        r += 1;
                    if (!(at(r) == U'个' || at(r) == U'天' || at(r) == U'号')) {
                        m = static_cast<int>(mm->value);
                        k = r;
                    }
                } else if (word(k, U"多")) {
                    ++k;
                }
            }
        } else if (n->arabic &&
                   (word(k, U"pm") || word(k, U"am") || word(k, U"p") || word(k, U"a"))) {
            // handled below with the suffix
        } else {
            return 0;
        }
        // 3:30pm, 3pm, 3:30p
        if (word(k, U"pm") || word(k, U"p")) {
            part_ = "pm";
            part_from_word_ = true;
            k += word(k, U"pm") ? 2 : 1;
        } else if (word(k, U"am") || (word(k, U"a") && !(at(k + 1) >= U'a' && at(k + 1) <= U'z'))) {
            part_ = "am";
            part_from_word_ = true;
            k += word(k, U"am") ? 2 : 1;
        }
        set_clock(h, m);
        return k - i;
    }

    std::size_t try_part(std::size_t i) {
        for (const auto& w : part_words)
            if (word(i, w.word)) {
                set_part(w.part);
                return w.word.size();
            }
        // A lone 早 / 晚 counts only next to a day or a clock ("周一早", "晚8点").
        if ((at(i) == U'早' || at(i) == U'晚') && free(i, i + 1)) {
            const bool after_day = last_end_ == i;
            const bool before_clock = number(i + 1).has_value();
            if (after_day || before_clock) {
                set_part(at(i) == U'早' ? "am" : "evening");
                return 1;
            }
        }
        return 0;
    }

    std::size_t try_now(std::size_t i) {
        for (std::u32string_view w : {U"现在", U"此时", U"此刻", U"而家", U"依家", U"宜家"}) {
            // Only when the text is essentially the expression: "现在能办吗" is not a time.
            if (word(i, w) && s_.size() <= w.size() + 1) {
                set_date(today(), relative);
                if (!shift_minutes_) shift_minutes_ = 0; // the exact instant, no 1-6 pm rule
                return w.size();
            }
        }
        return 0;
    }

    datetime_result resolve() {
        datetime_result r;
        if (shift_minutes_ && !hour_) {
            const long long base = today().to_days() * 1440 + now_.hour * 60 + now_.minute;
            const long long t = base + *shift_minutes_;
            const long long day = t >= 0 ? t / 1440 : (t - 1439) / 1440;
            const long long mins = t - day * 1440;
            if (!date_ || date_rank_ < relative) {
                date_ = civil_date::from_days(day);
                date_rank_ = relative;
            }
            hour_ = static_cast<int>(mins / 60);
            minute_ = static_cast<int>(mins % 60);
        }
        const bool exact = shift_minutes_.has_value();
        if (hour_ && exact) {
            if (!part_) part_ = *hour_ < 12 ? "am" : (*hour_ < 18 ? "pm" : "evening");
        } else if (hour_) {
            int h = *hour_;
            const std::string p = part_.value_or("");
            if (p == "pm" && h < 12) {
                h += 12;
            } else if (p == "evening") {
                if (h == 12)
                    h = 0;
                else if (h < 12 && h >= 3)
                    h += 12; // 夜里两点 stays 02:00
            } else if (p.empty() && h >= 1 && h <= 6) {
                h += 12; // DESIGN §3: a bare hour 1-6 means the afternoon
            }
            if (h == 24) h = 0;
            hour_ = h;
            if (!date_) {
                // Only a time: today, or tomorrow if that time has passed already.
                const bool passed = h * 60 + minute_.value_or(0) < now_.hour * 60 + now_.minute;
                date_ = passed && !shift_minutes_ ? today().plus_days(1) : today();
            }
            if (!part_) part_ = h < 12 ? "am" : (h < 18 ? "pm" : "evening");
        }
        if (part_ && !date_) date_ = today();
        r.date = date_;
        r.hour = hour_;
        r.minute = minute_;
        r.part = part_;
        return r;
    }
};

} // namespace

datetime_result
extract_datetime(std::u32string_view text, const local_time& now, std::vector<bool>& taken) {
    if (taken.size() < text.size()) taken.resize(text.size(), false);
    scanner sc(text, now, taken);
    return sc.run();
}

} // namespace daiban::bot::nlu
