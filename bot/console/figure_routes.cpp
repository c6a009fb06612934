// bot layer, console: the figures (handlers/kpis: the same definitions as 统计 in chat).
//   GET /api/v1/kpis?scope=&from=&to=     a scope's figures and those of its parts
//   GET /api/v1/kpis/weekly?scope=&weeks= the scope's figures week by week (Monday to Sunday)
//   GET /api/v1/report?month=&scope=&format=csv|html|json   the monthly 通报
// A scope beyond the agent's reach is 403; no scope means the agent's own.
#include "bot/console/service.hpp"
#include "handlers/kpis.hpp"
#include "handlers/monthly_report.hpp"
#include "model/civil_date.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace daiban::bot::console {

namespace asio = boost::asio;
namespace kpis = handlers::kpis;
using model::civil_date;
using nlohmann::json;

namespace {

json rate(int part, int whole) {
    const auto r = kpis::rate(part, whole);
    return r ? json(*r) : json(nullptr);
}

json seconds(const std::vector<std::int64_t>& v, int p) {
    const auto s = kpis::percentile(v, p);
    return s ? json(*s) : json(nullptr);
}

json ticket_json(const kpis::ticket_counts& t) {
    return {{"received", t.received},
            {"answered", t.answered},
            {"answered_on_time", t.answered_on_time},
            {"overdue", t.overdue},
            {"rate_on_time", rate(t.answered_on_time, t.answered)}};
}

json figures_json(const kpis::figures& f) {
    const auto& c = f.cases;
    const auto mean = kpis::mean_handling_days(c);
    return {{"received", c.received},
            {"done", c.done},
            {"done_on_time", c.done_on_time},
            {"open", c.open},
            {"overdue", c.overdue},
            {"rated", c.rated},
            {"satisfied", c.satisfied},
            {"rate_done", rate(c.done, c.received)},
            {"rate_on_time", rate(c.done_on_time, c.done)},
            {"rate_satisfied", rate(c.satisfied, c.rated)},
            {"rate_rated", rate(c.rated, c.done)},
            {"mean_days", mean ? json(*mean) : json(nullptr)},
            {"by_status", c.by_status},
            {"complaints", ticket_json(f.complaints)},
            {"suggestions", ticket_json(f.suggestions)},
            {"consultations", ticket_json(f.consultations)},
            {"emergencies",
             {{"reported", f.emergencies.reported},
              {"ack_p50_s", seconds(f.emergencies.ack_seconds, 50)},
              {"ack_p90_s", seconds(f.emergencies.ack_seconds, 90)},
              {"on_site_p50_s", seconds(f.emergencies.on_site_seconds, 50)},
              {"on_site_p90_s", seconds(f.emergencies.on_site_seconds, 90)}}},
            {"campaigns",
             {{"campaigns", f.campaigns.campaigns},
              {"members", f.campaigns.members},
              {"answered", f.campaigns.answered},
              {"rate_answered", rate(f.campaigns.answered, f.campaigns.members)}}}};
}

std::optional<civil_date> date_named(const std::string& s) {
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > civil_date::days_in_month(y, m))
        return std::nullopt;
    return civil_date{y, m, d};
}

// The scope asked for, or the agent's own; the error when it is unknown or beyond reach.
std::variant<std::string, http::response> scope_asked(const http::request& req, const staff& st) {
    std::string scope = query_param(req, "scope");
    if (scope.empty()) scope = st.scope.own_scope();
    if (!handlers::monthly_report::known_scope(st.data(), scope))
        return http::json_error(400, "bad_request",
                                "scope must be county, township:<id> or village:<id>", "scope");
    if (!st.scope.covers_scope(scope)) return forbidden_out_of_scope(st, "scope " + scope);
    return scope;
}

std::string scope_name(const model::tenant_data& d, const std::string& scope) {
    if (scope.starts_with("township:"))
        if (const auto* t = d.org_.find_township(scope.substr(9))) return t->name;
    if (scope.starts_with("village:"))
        if (const auto* v = d.org_.find_village(scope.substr(8))) return v->name;
    return "全县";
}

// The parts a scope's figures are shown with: townships of the county, villages of a township.
std::vector<std::pair<std::string, std::string>> parts_of(const model::tenant_data& d,
                                                          const std::string& scope) {
    std::vector<std::pair<std::string, std::string>> out;
    if (scope == "county")
        for (const auto& t : d.org_.townships)
            out.emplace_back(kpis::township_scope(t.id), t.name);
    else if (scope.starts_with("township:"))
        for (const auto& v : d.org_.villages)
            if (v.township == scope.substr(9)) out.emplace_back(kpis::village_scope(v.id), v.name);
    return out;
}

std::string html_escape(const std::string& s) {
    std::string out;
    for (char c : s)
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    return out;
}

std::string report_page(const handlers::monthly_report::table& t, const std::string& title) {
    std::string h =
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>" + html_escape(title) +
        "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
        "collapse;font-size:13px}td,th{border:1px solid #999;padding:4px 6px;text-align:"
        "right}td:first-child,th:first-child{text-align:left}small{color:#666}"
        "@media print{body{margin:0}}</style><h1>" +
        html_escape(title) + "</h1><p>" + t.month + " 与 " + t.previous +
        "（小字）对比</p><table><tr><th>范围</th>";
    for (const auto& c : handlers::monthly_report::columns())
        h += "<th>" + html_escape(c) + "</th>";
    h += "</tr>";
    for (const auto& r : t.rows) {
        h += "<tr><td>" + html_escape(r.name) + "</td>";
        for (std::size_t k = 0; k < r.cells.size(); ++k)
            h += "<td>" + html_escape(r.cells[k]) + "<br><small>" + html_escape(r.before[k]) +
                 "</small></td>";
        h += "</tr>";
    }
    return h + "</table></html>";
}

} // namespace

void add_figure_routes(http::router& r, service& s) {
    add_signed(
        r, s, "GET", "/api/v1/kpis", false,
        [&s](http::request& req, const http::route_params&,
             const staff& st) -> asio::awaitable<http::response> {
            auto asked = scope_asked(req, st);
            if (auto* e = std::get_if<http::response>(&asked)) co_return std::move(*e);
            const auto& scope = std::get<std::string>(asked);
            const auto today = civil_date::from_days(s.today_days());
            auto from = date_named(query_param(req, "from"));
            auto to = date_named(query_param(req, "to"));
            if (!query_param(req, "from").empty() && !from)
                co_return http::json_error(400, "bad_request", "from must be YYYY-MM-DD", "from");
            if (!query_param(req, "to").empty() && !to)
                co_return http::json_error(400, "bad_request", "to must be YYYY-MM-DD", "to");
            if (!from) from = civil_date{today.year, today.month, 1};
            if (!to)
                to = civil_date{today.year, today.month,
                                civil_date::days_in_month(today.year, today.month)};
            auto* stores = co_await s.stores_here();
            const kpis::period when{from->to_days(), to->to_days()};
            const auto report =
                co_await kpis::gather(stores->cases, stores->tickets, stores->campaigns, st.tenant,
                                      st.data(), s.today_days(), when);
            json rows = json::array();
            const auto parts = parts_of(st.data(), scope);
            for (const auto& part : parts)
                rows.push_back({{"scope", part.first},
                                {"name", part.second},
                                {"figures", figures_json(report.of(part.first))}});
            json out{{"scope", scope},
                     {"name", scope_name(st.data(), scope)},
                     {"from", from->iso()},
                     {"to", to->iso()},
                     {"total", figures_json(report.of(scope))},
                     {"rows", std::move(rows)}};
            co_return json_ok(out.dump());
        });

    add_signed(r, s, "GET", "/api/v1/kpis/weekly", false,
               [&s](http::request& req, const http::route_params&,
                    const staff& st) -> asio::awaitable<http::response> {
                   auto asked = scope_asked(req, st);
                   if (auto* e = std::get_if<http::response>(&asked)) co_return std::move(*e);
                   const auto& scope = std::get<std::string>(asked);
                   int weeks = 8;
                   if (const auto w = query_param(req, "weeks"); !w.empty())
                       weeks = std::clamp(std::atoi(w.c_str()), 1, 52);
                   const auto today = s.today_days();
                   // civil day 0 (1970-01-01) was a Thursday: Monday is (days + 3) % 7 == 0.
                   const auto monday = today - ((today + 3) % 7 + 7) % 7;
                   std::vector<kpis::period> asked_weeks;
                   for (int k = weeks - 1; k >= 0; --k)
                       asked_weeks.push_back({monday - 7LL * k, monday - 7LL * k + 6});
                   auto* stores = co_await s.stores_here();
                   // One read of the records for all the weeks.
                   const auto reports =
                       co_await kpis::gather(stores->cases, stores->tickets, stores->campaigns,
                                             st.tenant, st.data(), today, asked_weeks);
                   json out = json::array();
                   for (std::size_t k = 0; k < asked_weeks.size(); ++k)
                       out.push_back(
                           {{"from", civil_date::from_days(asked_weeks[k].from_day).iso()},
                            {"to", civil_date::from_days(asked_weeks[k].to_day).iso()},
                            {"figures", figures_json(reports[k].of(scope))}});
                   co_return json_ok(json{{"scope", scope}, {"weeks", std::move(out)}}.dump());
               });

    add_signed(
        r, s, "GET", "/api/v1/report", false,
        [&s](http::request& req, const http::route_params&,
             const staff& st) -> asio::awaitable<http::response> {
            auto asked = scope_asked(req, st);
            if (auto* e = std::get_if<http::response>(&asked)) co_return std::move(*e);
            const auto& scope = std::get<std::string>(asked);
            const auto first = handlers::monthly_report::month_named(query_param(req, "month"));
            if (!first)
                co_return http::json_error(400, "bad_request", "month must be YYYY-MM", "month");
            const std::string format = query_param(req, "format");
            if (!format.empty() && format != "csv" && format != "html" && format != "json")
                co_return http::json_error(400, "bad_request", "format must be csv, html or json",
                                           "format");
            auto* stores = co_await s.stores_here();
            const auto table = co_await handlers::monthly_report::build(
                stores->cases, stores->tickets, stores->campaigns, st.tenant, st.data(), *first,
                scope, s.today_days());
            const std::string title =
                scope_name(st.data(), scope) + " " + table->month + " 全程代办通报";
            http::response res;
            res.headers.emplace_back("Cache-Control", "no-store");
            if (format == "csv") {
                res.content_type = "text/csv; charset=utf-8";
                // A BOM so Excel on a township PC opens the Chinese as UTF-8.
                res.body = "\xEF\xBB\xBF" + handlers::monthly_report::to_csv(*table);
                res.headers.emplace_back("Content-Disposition", "attachment; filename=\"report-" +
                                                                    table->month + ".csv\"");
            } else if (format == "html") {
                res.content_type = "text/html; charset=utf-8";
                res.body = report_page(*table, title);
            } else {
                json rows = json::array();
                for (const auto& row : table->rows)
                    rows.push_back({{"name", row.name},
                                    {"scope", row.scope},
                                    {"cells", row.cells},
                                    {"previous", row.before}});
                res.body = json{{"title", title},
                                {"month", table->month},
                                {"previous", table->previous},
                                {"columns", handlers::monthly_report::columns()},
                                {"rows", std::move(rows)}}
                               .dump();
            }
            co_return res;
        });
}

} // namespace daiban::bot::console
