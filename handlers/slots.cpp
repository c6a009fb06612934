// handlers layer: appointment slots (see slots.hpp).
#include "handlers/slots.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

namespace daiban::handlers {

std::string minute_text(int minute) {
    std::string out(5, '0');
    out[0] = static_cast<char>('0' + minute / 600);
    out[1] = static_cast<char>('0' + minute / 60 % 10);
    out[2] = ':';
    out[3] = static_cast<char>('0' + minute % 60 / 10);
    out[4] = static_cast<char>('0' + minute % 10);
    return out;
}

std::optional<int> parse_minute(std::string_view s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    int h = 0, m = 0;
    if (std::from_chars(s.data(), s.data() + 2, h).ptr != s.data() + 2) return std::nullopt;
    if (std::from_chars(s.data() + 3, s.data() + 5, m).ptr != s.data() + 5) return std::nullopt;
    if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
    return h * 60 + m;
}

std::string slot::time() const {
    return minute_text(start_minute);
}

std::int64_t slot::start_unix(int utc_offset_minutes) const {
    return date.to_days() * 86400 + std::int64_t{start_minute} * 60 -
           std::int64_t{utc_offset_minutes} * 60;
}

std::string slot_id(const std::string& office_id, const slot& s) {
    return office_id + "|" + s.date.iso() + "|" + s.time();
}

std::optional<slot_ref> parse_slot_id(std::string_view id) {
    const auto a = id.find('|');
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = id.find('|', a + 1);
    if (b == std::string_view::npos) return std::nullopt;
    auto date = civil_date::parse_iso(id.substr(a + 1, b - a - 1));
    auto minute = parse_minute(id.substr(b + 1));
    if (a == 0 || !date || !minute) return std::nullopt;
    return slot_ref{std::string(id.substr(0, a)), *date, *minute};
}

std::vector<slot> office_slots(const work_calendar& cal,
                               const office& o,
                               civil_date d,
                               std::int64_t now,
                               int utc_offset_minutes) {
    std::vector<slot> out;
    const auto day = cal.office_hours(o, d);
    if (!day.open || !day.service_day) return out;
    const int step = std::max(o.slot_minutes, 5);
    for (const auto& p : day.periods) {
        // A period's tail shorter than a slot is not offered: the resident would be cut off.
        for (int m = p.start_minute; m + step <= p.end_minute; m += step) {
            slot s{d, m, m + step};
            if (s.start_unix(utc_offset_minutes) > now) out.push_back(s);
        }
    }
    return out;
}

std::vector<slot> nearest_slots(const work_calendar& cal,
                                const office& o,
                                const slot_request& request,
                                std::int64_t now,
                                std::size_t count,
                                const std::function<bool(const slot&)>& is_free,
                                int horizon_days,
                                int utc_offset_minutes) {
    const auto today = civil_date::from_unix(now, utc_offset_minutes);
    // The instant asked for, in local minutes since the epoch; a past request aims at now.
    const std::int64_t now_local = now / 60 + utc_offset_minutes;
    std::int64_t target = now_local;
    if (request.date && *request.date >= today) {
        int minute = 9 * 60; // a bare date means "that morning"
        if (request.minute)
            minute = *request.minute;
        else if (request.part == "pm")
            minute = 14 * 60 + 30;
        else if (request.part == "evening")
            minute = 18 * 60;
        target = std::max(now_local, request.date->to_days() * 1440 + minute);
    } else if (request.minute && !request.date) {
        // "十点" alone: today at ten, or tomorrow if that is past.
        target = today.to_days() * 1440 + *request.minute;
        if (target < now_local) target += 1440;
    }
    const auto target_day = civil_date::from_days(target / 1440);

    std::vector<std::pair<std::int64_t, slot>> scored;
    // Look around the target: a week before it (not before today) and the horizon after it.
    auto first = target_day.plus_days(-7);
    if (first < today) first = today;
    const auto last = target_day.plus_days(horizon_days);
    for (auto d = first; d <= last; d = d.plus_days(1)) {
        for (const auto& s : office_slots(cal, o, d, now, utc_offset_minutes)) {
            if (!is_free(s)) continue;
            const std::int64_t at = d.to_days() * 1440 + s.start_minute;
            scored.emplace_back(at > target ? at - target : target - at, s);
        }
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<slot> out;
    for (std::size_t i = 0; i < scored.size() && out.size() < count; ++i)
        out.push_back(scored[i].second);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace daiban::handlers
