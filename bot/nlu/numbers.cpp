// bot layer, NLU: numbers and money (see numbers.hpp).
#include "bot/nlu/numbers.hpp"

#include <cmath>

namespace daiban::bot::nlu {

int digit_value(char32_t c) {
    if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
    switch (c) {
    case U'〇':
    case U'零':
        return 0;
    case U'一':
    case U'幺':
        return 1;
    case U'二':
    case U'两':
        return 2;
    case U'三':
        return 3;
    case U'四':
        return 4;
    case U'五':
        return 5;
    case U'六':
        return 6;
    case U'七':
        return 7;
    case U'八':
        return 8;
    case U'九':
        return 9;
    default:
        return -1;
    }
}

namespace {

long long unit_value(char32_t c) {
    switch (c) {
    case U'十':
        return 10;
    case U'百':
        return 100;
    case U'千':
        return 1000;
    case U'万':
        return 10000;
    case U'亿':
        return 100000000;
    default:
        return 0;
    }
}

bool is_chinese_numeral(char32_t c) {
    return (c != U'幺' && digit_value(c) >= 0 && !(c >= U'0' && c <= U'9')) || unit_value(c) > 0;
}

// Chinese numerals in s[b, e): "三百五" = 350 (a trailing digit after a unit counts in the next
// lower unit, as people say prices), "二零一三" = 2013 (digit by digit when there is no unit).
std::optional<double> chinese_value(std::u32string_view s) {
    bool has_unit = false;
    for (char32_t c : s)
        has_unit = has_unit || unit_value(c) > 0;
    if (!has_unit) {
        double v = 0;
        for (char32_t c : s)
            v = v * 10 + digit_value(c);
        return v;
    }
    double total = 0, section = 0;
    int pending = -1;
    long long last_unit = 1;
    bool after_unit = false, zero_seen = false;
    for (char32_t c : s) {
        const long long u = unit_value(c);
        if (u == 0) {
            const int d = digit_value(c);
            if (d == 0) zero_seen = true;
            pending = d;
            after_unit = false;
            continue;
        }
        if (u < 10000) {
            section += (pending < 0 ? 1 : pending) * static_cast<double>(u);
            last_unit = u;
        } else {
            section += pending < 0 ? 0 : pending;
            if (section == 0) section = 1;
            total = (total + section) * static_cast<double>(u);
            section = 0;
            last_unit = u;
        }
        pending = -1;
        after_unit = true;
        zero_seen = false;
    }
    if (pending > 0) {
        // "三百五": the 5 is fifty; "一百零五": five; "二十五": five.
        if (!zero_seen && !after_unit && last_unit >= 100)
            section += pending * static_cast<double>(last_unit) / 10;
        else
            section += pending;
    }
    (void)after_unit;
    return total + section;
}

bool is_ascii_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}

} // namespace

bool is_number_char(char32_t c) {
    return is_ascii_digit(c) || is_chinese_numeral(c);
}

std::optional<number_match> read_number(std::u32string_view s, std::size_t pos) {
    if (pos >= s.size()) return std::nullopt;
    number_match m;
    m.begin = pos;
    if (is_ascii_digit(s[pos])) {
        std::size_t i = pos;
        double v = 0;
        while (i < s.size() && is_ascii_digit(s[i]) && i - pos < 15)
            v = v * 10 + (s[i++] - U'0');
        m.digits = static_cast<int>(i - pos);
        if (i + 1 < s.size() && s[i] == U'.' && is_ascii_digit(s[i + 1])) {
            double scale = 0.1;
            ++i;
            while (i < s.size() && is_ascii_digit(s[i])) {
                v += (s[i++] - U'0') * scale;
                scale /= 10;
            }
        }
        // 1.5万, 3千, 2百 (only a unit right after the digits)
        if (i < s.size() && (s[i] == U'万' || s[i] == U'千' || s[i] == U'百' || s[i] == U'亿')) {
            v *= static_cast<double>(unit_value(s[i]));
            ++i;
            // 1万2 -> 12000
            if (i < s.size() && is_ascii_digit(s[i]) &&
                (i + 1 >= s.size() || !is_ascii_digit(s[i + 1])) && v >= 1000)
                v += (s[i++] - U'0') * (v >= 10000 ? 1000 : 100);
        }
        m.value = v;
        m.end = i;
        m.arabic = true;
        return m;
    }
    if (!is_chinese_numeral(s[pos])) return std::nullopt;
    std::size_t i = pos;
    while (i < s.size() && is_chinese_numeral(s[i]) && i - pos < 16)
        ++i;
    // A run may not start with a big unit (万 in 万一, 千万 "by all means").
    if (unit_value(s[pos]) >= 100) return std::nullopt;
    auto v = chinese_value(s.substr(pos, i - pos));
    if (!v) return std::nullopt;
    m.value = *v;
    m.end = i;
    m.digits = static_cast<int>(i - pos);
    return m;
}

namespace {

bool starts_with(std::u32string_view s, std::size_t i, std::u32string_view w) {
    return s.size() >= i + w.size() && s.substr(i, w.size()) == w;
}
bool ends_with_at(std::u32string_view s, std::size_t end, std::u32string_view w) {
    return end >= w.size() && s.substr(end - w.size(), w.size()) == w;
}

} // namespace

std::optional<number_match> find_money(std::u32string_view s, std::vector<bool>& taken) {
    std::optional<number_match> weak;
    static constexpr std::u32string_view pay_words[] = {
        U"一共", U"总共", U"共计", U"合计",   U"总计", U"共",   U"转了",
        U"交了", U"付了", U"缴了", U"缴纳了", U"缴纳", U"转账", U"转给你",
        U"付款", U"交费", U"缴费", U"花了",   U"保费"};
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (taken[i]) continue;
        if (i > 0 && (is_number_char(s[i - 1]) || s[i - 1] == U'.')) continue;
        auto m = read_number(s, i);
        if (!m || m->value <= 0) continue;
        bool overlaps = false;
        for (std::size_t k = m->begin; k < m->end; ++k)
            overlaps = overlaps || taken[k];
        if (overlaps) continue;
        std::size_t e = m->end;
        while (e < s.size() && s[e] == U' ')
            ++e;
        bool money = false;
        double v = m->value;
        for (std::u32string_view unit :
             {U"块钱", U"元钱", U"人民币", U"元", U"块", U"圆", U"rmb"}) {
            if (starts_with(s, e, unit)) {
                e += unit.size();
                money = true;
                break;
            }
        }
        if (money) {
            // 三块五 = 3.5, 3块5毛, 5元5角
            if (e < s.size() && digit_value(s[e]) > 0 &&
                (e + 1 >= s.size() || !is_number_char(s[e + 1]))) {
                v += digit_value(s[e]) / 10.0;
                ++e;
                if (e < s.size() && (s[e] == U'毛' || s[e] == U'角')) ++e;
            }
        } else if (e < s.size() && (s[e] == U'毛' || s[e] == U'角') && m->value < 10) {
            v = m->value / 10;
            ++e;
            money = true;
        }
        std::size_t b = m->begin;
        if (!money && b > 0 && (s[b - 1] == U'¥' || s[b - 1] == U'$')) {
            money = true;
            --b;
        }
        if (money) {
            for (std::size_t k = b; k < e; ++k)
                taken[k] = true;
            m->value = std::round(v * 100) / 100;
            m->begin = b;
            m->end = e;
            return m;
        }
        if (!weak) {
            std::size_t p = m->begin;
            while (p > 0 && s[p - 1] == U' ')
                --p;
            for (auto w : pay_words)
                if (ends_with_at(s, p, w)) {
                    // "一共" itself starts with 一: make sure the number is not the pay word.
                    weak = m;
                    break;
                }
        }
    }
    if (weak) {
        for (std::size_t k = weak->begin; k < weak->end; ++k)
            taken[k] = true;
    }
    return weak;
}

} // namespace daiban::bot::nlu
