// handlers layer: the working-day calendar (see calendar.hpp).
#include "handlers/calendar.hpp"

#include "model/json_file.hpp"

#include <algorithm>
#include <filesystem>

namespace daiban::handlers {

namespace {

bool is_weekend(civil_date d) {
    return d.iso_weekday() >= 6;
}

// "2026.json" -> 2026; anything else (LICENSE, README.md, 2026.json.bak) -> 0.
int year_of_file_name(const std::string& name) {
    if (name.size() != 9 || name.substr(4) != ".json") return 0;
    int year = 0;
    for (int i = 0; i < 4; ++i) {
        if (name[i] < '0' || name[i] > '9') return 0;
        year = year * 10 + (name[i] - '0');
    }
    return year >= 1900 ? year : 0;
}

} // namespace

std::shared_ptr<const work_calendar> work_calendar::weekends_only() {
    return std::shared_ptr<const work_calendar>(new work_calendar());
}

std::shared_ptr<const work_calendar> work_calendar::load(const std::string& dir,
                                                         std::vector<data_problem>& problems) {
    namespace fs = std::filesystem;
    const auto before = problems.size();
    std::shared_ptr<work_calendar> cal(new work_calendar());
    cal->dir_ = dir;

    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        problems.push_back({dir, "",
                            "holiday directory not found (expected <year>.json files "
                            "in the holiday-cn format)"});
        return nullptr;
    }
    std::vector<std::pair<int, std::string>> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const int year = year_of_file_name(entry.path().filename().string());
        if (year) files.emplace_back(year, entry.path().string());
    }
    if (ec) {
        problems.push_back({dir, "", "cannot list the holiday directory: " + ec.message()});
        return nullptr;
    }
    std::sort(files.begin(), files.end()); // stable problem order, whatever the file system does

    for (const auto& [year, file] : files) {
        auto problem = [&, &file = file](std::string path, std::string message) {
            problems.push_back({file, std::move(path), std::move(message)});
        };
        const auto root = read_json_file(file, problems);
        if (!root) continue;
        if (!root->is_object()) {
            problem("", "must be an object with \"year\" and \"days\"");
            continue;
        }
        if (const auto y = root->find("year"); y == root->end() || !y->is_number_integer()) {
            problem("year", "missing or not a whole number");
        } else if (y->get<std::int64_t>() != year) {
            problem("year", "says " + std::to_string(y->get<std::int64_t>()) +
                                " but the file is named " + std::to_string(year) +
                                ".json; rename the file or fix the year");
        }
        const auto days = root->find("days");
        if (days == root->end() || !days->is_array()) {
            problem("days", "missing or not a list of {name, date, isOffDay}");
            continue;
        }
        for (std::size_t i = 0; i < days->size(); ++i) {
            const auto& day = (*days)[i];
            const auto path = "days[" + std::to_string(i) + "]";
            if (!day.is_object()) {
                problem(path, "must be an object {name, date, isOffDay}");
                continue;
            }
            const auto name = day.find("name");
            const auto date = day.find("date");
            const auto off = day.find("isOffDay");
            if (name == day.end() || !name->is_string()) {
                problem(path + ".name", "missing or not a string");
                continue;
            }
            if (off == day.end() || !off->is_boolean()) {
                problem(path + ".isOffDay", "missing or not true/false");
                continue;
            }
            std::optional<civil_date> d;
            if (date != day.end() && date->is_string())
                d = civil_date::parse_iso(date->get_ref<const std::string&>());
            if (!d) {
                problem(path + ".date", "missing or not a date YYYY-MM-DD");
                continue;
            }
            const special_day entry{name->get<std::string>(), off->get<bool>()};
            if (!entry.off && !is_weekend(*d)) {
                // A make-up working day on a weekday changes nothing and means a typo.
                problem(path + ".isOffDay",
                        d->iso() + " is a weekday; only a Saturday or Sunday can be a make-up "
                                   "working day (isOffDay: false)");
                continue;
            }
            auto [it, fresh] = cal->days_.emplace(d->to_days(), entry);
            if (!fresh && it->second.off != entry.off)
                problem(path, d->iso() + " is listed twice, once as a holiday and once as a "
                                         "working day");
        }
        cal->years_.insert(year);
    }
    if (problems.size() != before) return nullptr;
    return cal;
}

const work_calendar::special_day* work_calendar::find(civil_date d) const {
    if (!covers(d.year)) {
        // Days of an uncovered year may still be listed (a file can name a day of the next
        // year), but the year's own holidays are unknown: remember to warn once.
        std::lock_guard lock(mutex_);
        uncovered_asked_.insert(d.year);
    }
    const auto it = days_.find(d.to_days());
    return it == days_.end() ? nullptr : &it->second;
}

bool work_calendar::is_working_day(civil_date d) const {
    if (const auto* s = find(d)) return !s->off;
    return !is_weekend(d);
}

bool work_calendar::is_public_holiday(civil_date d) const {
    const auto* s = find(d);
    return s && s->off;
}

bool work_calendar::is_makeup_day(civil_date d) const {
    const auto* s = find(d);
    return s && !s->off;
}

std::string work_calendar::holiday_name(civil_date d) const {
    const auto* s = find(d);
    return s ? s->name : std::string();
}

civil_date work_calendar::add_working_days(civil_date from, int n) const {
    const int step = n < 0 ? -1 : 1;
    civil_date d = from;
    for (int left = n < 0 ? -n : n; left > 0;) {
        d = d.plus_days(step);
        if (is_working_day(d)) --left;
    }
    return d;
}

int work_calendar::working_days_between(civil_date a, civil_date b) const {
    if (b < a) return -working_days_between(b, a);
    int n = 0;
    for (auto d = a.plus_days(1); d <= b; d = d.plus_days(1))
        if (is_working_day(d)) ++n;
    return n;
}

office_day work_calendar::office_hours(const office& o, civil_date d) const {
    office_day day;
    const auto iso = d.iso();
    if (std::find(o.closed.begin(), o.closed.end(), iso) != o.closed.end()) {
        day.reason = "closed";
        return day;
    }
    const auto* special = find(d);
    if (special && special->off) {
        day.reason = special->name;
        return day;
    }
    const std::vector<std::string>* hours = nullptr;
    auto hours_of = [&](std::string_view key) -> const std::vector<std::string>* {
        const auto it = o.hours.find(std::string(key));
        return it == o.hours.end() || it->second.empty() ? nullptr : &it->second;
    };
    if (special && is_weekend(d)) {
        day.makeup_day = true;
        for (std::size_t k = 0; k < 5 && !hours; ++k)
            hours = hours_of(weekday_keys[k]);
    } else {
        hours = hours_of(weekday_key(d));
    }
    if (!hours) {
        day.reason = "no_hours";
        return day;
    }
    for (const auto& text : *hours)
        if (const auto p = parse_period(text)) day.periods.push_back(*p);
    day.open = !day.periods.empty();
    if (!day.open) {
        day.reason = "no_hours";
        return day;
    }
    const auto key = weekday_key(d);
    day.service_day =
        o.service_days.empty() ||
        std::find(o.service_days.begin(), o.service_days.end(), key) != o.service_days.end();
    return day;
}

std::string work_calendar::coverage_warning(int year) const {
    if (covers(year)) return {};
    return "no holiday data for " + std::to_string(year) + ": its working days count Monday to " +
           "Friday only, without public holidays or make-up days; add " +
           (dir_.empty() ? std::string("deploy/holidays") : dir_) + "/" + std::to_string(year) +
           ".json (holiday-cn format) once the State Council publishes the schedule";
}

std::vector<std::string> work_calendar::take_warnings() const {
    std::set<int> fresh;
    {
        std::lock_guard lock(mutex_);
        for (int y : uncovered_asked_)
            if (uncovered_reported_.insert(y).second) fresh.insert(y);
    }
    std::vector<std::string> out;
    for (int y : fresh)
        out.push_back(coverage_warning(y));
    return out;
}

} // namespace daiban::handlers
