// model layer: calendar dates without time zones (proleptic Gregorian), for due dates,
// appointments and the NLU's date resolution. Days are counted from 1970-01-01 (day 0), using
// Howard Hinnant's well-known civil-from-days arithmetic (public-domain algorithm description).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace daiban::model {

struct civil_date {
    int year = 1970;
    int month = 1; // 1..12
    int day = 1;   // 1..31

    auto operator<=>(const civil_date&) const = default;

    static constexpr civil_date from_days(std::int64_t z) {
        z += 719468;
        const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
        const auto doe = static_cast<unsigned>(z - era * 146097);
        const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const auto y = static_cast<std::int64_t>(yoe) + era * 400;
        const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const unsigned mp = (5 * doy + 2) / 153;
        const unsigned d = doy - (153 * mp + 2) / 5 + 1;
        const unsigned m = mp < 10 ? mp + 3 : mp - 9;
        return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
    }

    constexpr std::int64_t to_days() const {
        const std::int64_t y = year - (month <= 2);
        const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
        const auto yoe = static_cast<unsigned>(y - era * 400);
        const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
        const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
        const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
    }

    constexpr civil_date plus_days(std::int64_t n) const { return from_days(to_days() + n); }

    // ISO weekday: 1 = Monday ... 7 = Sunday (mainland weeks start on Monday).
    constexpr int iso_weekday() const {
        const std::int64_t d = to_days();
        const std::int64_t w = (d + 3) % 7; // 1970-01-01 was a Thursday
        return static_cast<int>((w < 0 ? w + 7 : w) + 1);
    }

    static constexpr bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
    static constexpr int days_in_month(int y, int m) {
        constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        return m == 2 && is_leap(y) ? 29 : days[m - 1];
    }
    constexpr bool valid() const {
        return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
    }

    // "YYYY-MM-DD"
    std::string iso() const {
        char buf[16];
        auto put = [](char* p, int v, int width) {
            for (int i = width - 1; i >= 0; --i, v /= 10)
                p[i] = static_cast<char>('0' + v % 10);
        };
        put(buf, year, 4);
        buf[4] = '-';
        put(buf + 5, month, 2);
        buf[7] = '-';
        put(buf + 8, day, 2);
        return std::string(buf, 10);
    }

    static std::optional<civil_date> parse_iso(std::string_view s) {
        if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
        civil_date d;
        auto num = [&](std::size_t at, std::size_t len, int& out) {
            auto r = std::from_chars(s.data() + at, s.data() + at + len, out);
            return r.ec == std::errc{} && r.ptr == s.data() + at + len;
        };
        if (!num(0, 4, d.year) || !num(5, 2, d.month) || !num(8, 2, d.day) || !d.valid())
            return std::nullopt;
        return d;
    }

    // The local date of a unix instant read at `utc_offset_minutes` (mainland: +480).
    static constexpr civil_date from_unix(std::int64_t unix_seconds, int utc_offset_minutes) {
        std::int64_t local = unix_seconds + std::int64_t{utc_offset_minutes} * 60;
        std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
        return from_days(days);
    }
};

} // namespace daiban::model
