// handlers layer: the working-day calendar behind 限时办结 deadlines and office opening days.
// Built once from the State Council's holiday schedule (deploy/holidays/<year>.json, the
// holiday-cn format) and shared read-only by every shard.
//
// Counting rule (the usual rule of government time limits): the day a case is accepted does not
// count; a limit of n working days ends at the close of the n-th working day after it. So a case
// accepted on Monday 2026-11-16 with a limit of 3 is due Thursday 2026-11-19, and one accepted on
// a Saturday starts counting on the following Monday (that Monday is day 1).
//
// A working day is Monday to Friday, except public holidays (isOffDay: true), plus the make-up
// working days (调休, isOffDay: false) that fall on weekends. A year without a holiday file counts
// Monday to Friday only; the calendar notes each such year it is asked about once, for the caller
// to log (take_warnings), because no logging library exists in this layer.
#pragma once

#include "handlers/model.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace daiban::handlers {

// One office on one date (for appointments).
struct office_day {
    bool open = false;
    std::vector<time_period> periods; // in order; empty when closed
    // Appointments are offered: open, and the office either has no centralised service days or
    // this date's weekday is one of them.
    bool service_day = false;
    bool makeup_day = false; // a weekend worked as a make-up working day
    // Why it is closed, for the resident: a holiday's name ("国庆节"), "closed" (the office's
    // own closed dates) or "no_hours" (the office does not open on this weekday).
    std::string reason;
};

class work_calendar {
public:
    // Reads every `<year>.json` in `dir` (other files, such as LICENSE, are ignored). Returns
    // nullptr and appends to `problems` when the directory is missing or a file is malformed.
    static std::shared_ptr<const work_calendar> load(const std::string& dir,
                                                     std::vector<data_problem>& problems);
    // A calendar without holiday data: Monday to Friday are working days in every year.
    static std::shared_ptr<const work_calendar> weekends_only();

    bool is_working_day(civil_date d) const;
    bool is_public_holiday(civil_date d) const; // a declared day off (weekday or weekend)
    bool is_makeup_day(civil_date d) const;     // a weekend declared a working day
    // The holiday's name ("春节") on public holidays and make-up days, else "".
    std::string holiday_name(civil_date d) const;

    // The n-th working day after `from` (`from` itself never counts, see above). n == 0 gives
    // `from`; a negative n counts back: the |n|-th working day before `from` (for reminders such
    // as "one working day before the deadline").
    civil_date add_working_days(civil_date from, int n) const;

    // The working days in (a, b]: after a, up to and including b; negative when b < a. It
    // inverts add_working_days: working_days_between(a, add_working_days(a, n)) == n. To pause
    // a case's clock while it waits on the resident (补正) from day p to day r, move its due
    // date by working_days_between(p, r).
    int working_days_between(civil_date a, civil_date b) const;

    // When `o` is open on `d`. Rules, in order: a date in o.closed is closed; a public holiday
    // is closed (even at halls that open on Saturdays); a make-up working day opens with the
    // office's regular weekday hours (Monday's, or the first of Tuesday..Friday it has), since
    // the State Council declares it a normal working day; any other day uses o.hours of its
    // weekday. service_day follows the date's own weekday, so a make-up Saturday is not a
    // Wednesday service day.
    office_day office_hours(const office& o, civil_date d) const;

    // The years that have holiday data.
    const std::set<int>& years_covered() const { return years_; }
    bool covers(int year) const { return years_.count(year) != 0; }
    // One line per year without data that this calendar has been asked about and that has not
    // been returned before: each such year is reported once over the calendar's life.
    std::vector<std::string> take_warnings() const;
    // The warning for `year`, or "" when it is covered (e.g. for `daiban check` at start-up).
    std::string coverage_warning(int year) const;

    work_calendar(const work_calendar&) = delete;
    work_calendar& operator=(const work_calendar&) = delete;

private:
    work_calendar() = default;

    struct special_day {
        std::string name;
        bool off = false; // true: public holiday; false: make-up working day
    };
    const special_day* find(civil_date d) const;

    std::string dir_;
    std::unordered_map<std::int64_t, special_day> days_; // by civil_date::to_days()
    std::set<int> years_;

    // Years asked about without data; guarded because shards share one calendar.
    mutable std::mutex mutex_;
    mutable std::set<int> uncovered_asked_;
    mutable std::set<int> uncovered_reported_;
};

// The key of `d`'s weekday in office::hours ("mon".."sun").
inline std::string_view weekday_key(civil_date d) {
    return weekday_keys[d.iso_weekday() - 1];
}

} // namespace daiban::handlers
