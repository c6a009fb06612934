// handlers layer: appointment slots of an office, from the working-day calendar and the office's
// opening hours: each opening period cut into `slot_minutes`, on the office's service days, minus
// times already past; and the free slots nearest to what a resident asked for ("后天上午").
// Pure functions of (calendar, office, request, now): unit-testable without Redis.
#pragma once

#include "handlers/calendar.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace daiban::handlers {

// Mainland China time, the offices' local time.
inline constexpr int china_utc_offset_minutes = 8 * 60;

struct slot {
    civil_date date;
    int start_minute = 0; // minutes after local midnight
    int end_minute = 0;

    auto operator<=>(const slot&) const = default;
    std::string time() const; // "HH:MM" of the start
    // The unix second the slot starts (at the given offset from UTC).
    std::int64_t start_unix(int utc_offset_minutes = china_utc_offset_minutes) const;
};

// "HH:MM" of minutes after midnight, and back (nullopt unless HH:MM with a valid time).
std::string minute_text(int minute);
std::optional<int> parse_minute(std::string_view hhmm);

// A slot named in a pending question's options: "<office id>|YYYY-MM-DD|HH:MM".
std::string slot_id(const std::string& office_id, const slot& s);
struct slot_ref {
    std::string office;
    civil_date date;
    int start_minute = 0;
};
std::optional<slot_ref> parse_slot_id(std::string_view id);

// The bookable slots of `o` on `d`: none unless the office is open and `d` is a service day;
// slots that start at or before `now` (unix seconds) are left out.
std::vector<slot> office_slots(const work_calendar& cal,
                               const office& o,
                               civil_date d,
                               std::int64_t now,
                               int utc_offset_minutes = china_utc_offset_minutes);

// What the resident asked for; every part optional ("明天", "十点", "下午").
struct slot_request {
    std::optional<civil_date> date;
    std::optional<int> minute;       // minutes after midnight
    std::optional<std::string> part; // am | pm | evening
};

// Up to `count` slots for which `is_free` holds, nearest in time to the request, returned in
// time order. A request in the past, on a closed day or outside opening hours simply gets the
// nearest bookable alternatives; an empty result means nothing is free within `horizon_days`.
std::vector<slot> nearest_slots(const work_calendar& cal,
                                const office& o,
                                const slot_request& request,
                                std::int64_t now,
                                std::size_t count,
                                const std::function<bool(const slot&)>& is_free,
                                int horizon_days = 30,
                                int utc_offset_minutes = china_utc_offset_minutes);

} // namespace daiban::handlers
