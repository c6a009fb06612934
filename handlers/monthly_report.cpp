// handlers layer: the monthly 通报 (see monthly_report.hpp).
#include "handlers/monthly_report.hpp"

#include <algorithm>
#include <cstdio>

namespace daiban::handlers::monthly_report {

namespace {

using model::civil_date;

kpis::period month_period(const civil_date& first) {
    const int last = civil_date::days_in_month(first.year, first.month);
    return {first.to_days(), civil_date{first.year, first.month, last}.to_days()};
}

civil_date previous_month(const civil_date& first) {
    return first.month == 1 ? civil_date{first.year - 1, 12, 1}
                            : civil_date{first.year, first.month - 1, 1};
}

struct named_scope {
    std::string name;
    std::string scope;
};

// The rows of the table: the scope itself, then what it is made of, then the agents in it.
std::optional<std::vector<named_scope>> rows_of(const model::tenant_data& d,
                                                const std::string& scope) {
    std::vector<named_scope> rows;
    std::vector<const model::village*> villages;
    if (scope == "county") {
        rows.push_back({"全县", kpis::county_scope()});
        for (const auto& t : d.org_.townships)
            rows.push_back({t.name, kpis::township_scope(t.id)});
        for (const auto& v : d.org_.villages)
            villages.push_back(&v);
    } else if (scope.starts_with("township:")) {
        const auto* t = d.org_.find_township(scope.substr(9));
        if (!t) return std::nullopt;
        rows.push_back({t->name + "合计", kpis::township_scope(t->id)});
        for (const auto& v : d.org_.villages)
            if (v.township == t->id) {
                rows.push_back({v.name, kpis::village_scope(v.id)});
                villages.push_back(&v);
            }
    } else if (scope.starts_with("village:")) {
        const auto* v = d.org_.find_village(scope.substr(8));
        if (!v) return std::nullopt;
        rows.push_back({v->name, kpis::village_scope(v->id)});
        villages.push_back(v);
    } else {
        return std::nullopt;
    }
    // The village agents of the scope, each once, in org.json's order.
    for (const auto& a : d.org_.agents)
        for (const auto* v : villages)
            if (std::find(v->agents.begin(), v->agents.end(), a.id) != v->agents.end()) {
                rows.push_back({"代理员 " + a.name, kpis::agent_scope(a.id)});
                break;
            }
    return rows;
}

std::string percent(std::optional<double> r) {
    if (!r) return "—";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", *r * 100);
    return buf;
}

std::string days(std::optional<double> d) {
    if (!d) return "—";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f", *d);
    return buf;
}

// One row's cells for one month, in the columns' order.
std::vector<std::string> cells(const kpis::figures& f) {
    const auto& c = f.cases;
    const int voices = f.complaints.received + f.suggestions.received + f.consultations.received;
    const int answered = f.complaints.answered + f.suggestions.answered + f.consultations.answered;
    const int on_time = f.complaints.answered_on_time + f.suggestions.answered_on_time +
                        f.consultations.answered_on_time;
    return {std::to_string(c.received),
            std::to_string(c.done),
            percent(kpis::rate(c.done, c.received)),
            percent(kpis::rate(c.done_on_time, c.done)),
            percent(kpis::rate(c.satisfied, c.rated)),
            percent(kpis::rate(c.rated, c.done)),
            days(kpis::mean_handling_days(c)),
            std::to_string(c.overdue),
            std::to_string(voices),
            percent(kpis::rate(on_time, answered)),
            std::to_string(f.emergencies.reported)};
}

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

} // namespace

const std::vector<std::string>& columns() {
    static const std::vector<std::string> c = {
        "受理",         "办结",     "办结率",       "按时办结率", "满意率", "回访率",
        "平均办理天数", "超期在办", "投诉建议咨询", "按时答复率", "急事"};
    return c;
}

std::optional<civil_date> month_named(const std::string& s) {
    int y = 0, m = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 || y < 2000)
        return std::nullopt;
    return civil_date{y, m, 1};
}

bool known_scope(const model::tenant_data& d, const std::string& scope) {
    return rows_of(d, scope).has_value();
}

boost::asio::awaitable<std::optional<table>> build(state::case_store& cases,
                                                   state::ticket_store& tickets,
                                                   state::campaign_store& campaigns,
                                                   const std::string& tenant,
                                                   const model::tenant_data& data,
                                                   const civil_date& first,
                                                   const std::string& scope,
                                                   std::int64_t today_days) {
    const auto scopes = rows_of(data, scope);
    if (!scopes) co_return std::nullopt;
    const auto before_first = previous_month(first);
    const std::vector<kpis::period> months{month_period(first), month_period(before_first)};
    const auto both =
        co_await kpis::gather(cases, tickets, campaigns, tenant, data, today_days, months);
    const auto& now = both[0];
    const auto& before = both[1];
    table t;
    t.month = first.iso().substr(0, 7);
    t.previous = before_first.iso().substr(0, 7);
    for (const auto& s : *scopes)
        t.rows.push_back({s.name, s.scope, cells(now.of(s.scope)), cells(before.of(s.scope))});
    co_return t;
}

std::string to_csv(const table& t) {
    std::string out = "范围";
    for (const auto& c : columns())
        out += "," + c + "," + c + "(上月)";
    out += "\n";
    for (const auto& r : t.rows) {
        out += csv_cell(r.name);
        for (std::size_t k = 0; k < r.cells.size(); ++k)
            out += "," + csv_cell(r.cells[k]) + "," + csv_cell(r.before[k]);
        out += "\n";
    }
    return out;
}

std::string to_text(const table& t) {
    std::string out = t.month + " 通报（括号内为 " + t.previous + "）\n";
    for (const auto& r : t.rows) {
        out += "【" + r.name + "】";
        for (std::size_t k = 0; k < r.cells.size(); ++k)
            out += (k ? "，" : "") + columns()[k] + " " + r.cells[k] + "（" + r.before[k] + "）";
        out += "\n";
    }
    return out;
}

} // namespace daiban::handlers::monthly_report
