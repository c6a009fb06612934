// bot layer, CLI: `daiban report --month 2026-11 --scope township:fk` — the monthly 通报 in the
// terminal: for the scope, then each village (or township, for the county) and each agent in it,
// the month's figures against the previous month's. The figures are the ones `统计` shows in chat
// (handlers/kpis: one module, one set of definitions), read from the running deployment's Redis.
#include "bot/cli/commands.hpp"
#include "bot/config.hpp"
#include "handlers/kpis.hpp"
#include "model/civil_date.hpp"
#include "model/tenant_data.hpp"
#include "state/campaign_store.hpp"
#include "state/case_store.hpp"
#include "state/redis/connection.hpp"
#include "state/ticket_store.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace daiban::bot::cli {

namespace {

namespace asio = boost::asio;
namespace kpis = handlers::kpis;
using model::civil_date;

void usage() {
    std::cerr << "usage: daiban report --month YYYY-MM --scope county|township:ID|village:ID\n"
                 "                     [--tenant ID] [--config FILE] [--csv]\n";
}

// "2026-11" -> the 1st of that month; nullopt when malformed.
std::optional<civil_date> month_named(const std::string& s) {
    int y = 0, m = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 || y < 2000)
        return std::nullopt;
    return civil_date{y, m, 1};
}

kpis::period month_period(const civil_date& first) {
    const int last = civil_date::days_in_month(first.year, first.month);
    return {first.to_days(), civil_date{first.year, first.month, last}.to_days()};
}

civil_date previous_month(const civil_date& first) {
    return first.month == 1 ? civil_date{first.year - 1, 12, 1}
                            : civil_date{first.year, first.month - 1, 1};
}

// The rows of the table: the scope itself, then what it is made of, then the agents in it.
struct row {
    std::string name;
    std::string scope;
};

std::optional<std::vector<row>> rows_of(const model::tenant_data& d, const std::string& scope) {
    std::vector<row> rows;
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

const std::vector<std::string> columns = {
    "受理",         "办结",     "办结率",       "按时办结率", "满意率", "回访率",
    "平均办理天数", "超期在办", "投诉建议咨询", "按时答复率", "急事"};

std::string csv_cell(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

void print(const std::vector<row>& rows,
           const kpis::report& now,
           const kpis::report& before,
           const std::string& month,
           const std::string& previous,
           bool csv) {
    if (csv) {
        std::cout << "范围";
        for (const auto& c : columns)
            std::cout << "," << c << "," << c << "(上月)";
        std::cout << "\n";
        for (const auto& r : rows) {
            const auto a = cells(now.of(r.scope)), b = cells(before.of(r.scope));
            std::cout << csv_cell(r.name);
            for (std::size_t k = 0; k < a.size(); ++k)
                std::cout << "," << csv_cell(a[k]) << "," << csv_cell(b[k]);
            std::cout << "\n";
        }
        return;
    }
    std::cout << month << " 通报（括号内为 " << previous << "）\n";
    for (const auto& r : rows) {
        const auto a = cells(now.of(r.scope)), b = cells(before.of(r.scope));
        std::cout << "【" << r.name << "】";
        for (std::size_t k = 0; k < a.size(); ++k)
            std::cout << (k ? "，" : "") << columns[k] << " " << a[k] << "（" << b[k] << "）";
        std::cout << "\n";
    }
}

} // namespace

int run_report(int argc, char** argv) {
    std::string month_arg, scope, tenant_id, config_file = "deploy/daiban.json";
    bool csv = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--month")
            month_arg = next();
        else if (a == "--scope")
            scope = next();
        else if (a == "--tenant")
            tenant_id = next();
        else if (a == "--config")
            config_file = next();
        else if (a == "--csv")
            csv = true;
        else {
            std::cerr << "report: unknown option " << a << "\n";
            return usage(), 2;
        }
    }
    const auto first = month_named(month_arg);
    if (!first) {
        std::cerr << "report: --month needs a month like 2026-11\n";
        return usage(), 2;
    }
    const auto cfg = load_config_or_report(config_file);
    if (!cfg) return 1;
    const tenant_config* t = tenant_id.empty() && !cfg->tenants.empty()
                                 ? &cfg->tenants.front()
                                 : cfg->find_tenant(tenant_id);
    if (!t) {
        std::cerr << config_file << ": no tenant '" << tenant_id << "' (see tenants[].id)\n";
        return 1;
    }
    std::vector<model::data_problem> data_problems;
    const auto data = model::load_tenant_data(t->data_dir, data_problems);
    for (const auto& p : data_problems)
        std::cerr << p.file << (p.path.empty() ? "" : ": " + p.path) << ": " << p.message << "\n";
    if (!data) return 1;
    const auto rows = rows_of(*data, scope.empty() ? "county" : scope);
    if (!rows) {
        std::cerr << "report: --scope '" << scope
                  << "' is not county, township:<id> or village:<id> of " << t->data_dir
                  << "/org.json\n";
        return usage(), 2;
    }

    asio::io_context ioc{1};
    state::redis::config rc;
    rc.address = cfg->redis;
    state::redis::connection redis(ioc.get_executor(), rc);
    state::redis_case_store cases(redis);
    state::redis_ticket_store tickets(redis);
    state::redis_campaign_store campaigns(redis);
    int code = 1;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            redis.start();
            asio::steady_timer wait(ioc);
            for (int i = 0; i < 40 && !redis.connected(); ++i) {
                wait.expires_after(std::chrono::milliseconds(50));
                co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            try {
                const auto unix_now = std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count();
                const auto today = (unix_now + 8 * 3600) / 86400; // mainland days
                const auto before_first = previous_month(*first);
                const auto now_report = co_await kpis::gather(cases, tickets, campaigns, t->id,
                                                              *data, today, month_period(*first));
                const auto before_report = co_await kpis::gather(
                    cases, tickets, campaigns, t->id, *data, today, month_period(before_first));
                print(*rows, now_report, before_report, month_arg, before_first.iso().substr(0, 7),
                      csv);
                code = 0;
            } catch (const std::exception& e) {
                std::cerr << "report: cannot read the figures from Redis at " << cfg->redis << ": "
                          << e.what() << "\n";
            }
            redis.stop();
        },
        asio::detached);
    ioc.run();
    return code;
}

} // namespace daiban::bot::cli
