// bot layer, CLI: `daiban report --month 2026-11 --scope township:fk` — the monthly 通报 in the
// terminal: for the scope, then each village (or township, for the county) and each agent in it,
// the month's figures against the previous month's. The figures are the ones `统计` shows in chat
// (handlers/kpis: one module, one set of definitions), read from the running deployment's Redis.
#include "bot/cli/commands.hpp"
#include "bot/cli/deployment.hpp"
#include "bot/config.hpp"
#include "handlers/monthly_report.hpp"
#include "model/civil_date.hpp"
#include "model/tenant_data.hpp"
#include "state/campaign_store.hpp"
#include "state/case_store.hpp"
#include "state/redis/connection.hpp"
#include "state/ticket_store.hpp"

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
namespace report = handlers::monthly_report;

void usage() {
    std::cerr << "usage: daiban report --month YYYY-MM --scope county|township:ID|village:ID\n"
                 "                     [--tenant ID] [--config FILE] [--csv]\n";
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
    const auto first = report::month_named(month_arg);
    if (!first) {
        std::cerr << "report: --month needs a month like 2026-11\n";
        return usage(), 2;
    }
    const auto cfg = load_config_or_report(config_file);
    if (!cfg) return 1;
    const auto tenant = load_tenant_or_report(*cfg, config_file, tenant_id);
    if (!tenant) return 1;
    const auto& data = *tenant->data;
    if (scope.empty()) scope = "county";
    if (!report::known_scope(data, scope)) {
        std::cerr << "report: --scope '" << scope
                  << "' is not county, township:<id> or village:<id> of " << tenant->cfg->data_dir
                  << "/org.json\n";
        return usage(), 2;
    }
    return with_redis(
        cfg->redis,
        [&](asio::any_io_executor, state::redis::connection& redis) -> asio::awaitable<int> {
            state::redis_case_store cases(redis);
            state::redis_ticket_store tickets(redis);
            state::redis_campaign_store campaigns(redis);
            try {
                const auto unix_now = std::chrono::duration_cast<std::chrono::seconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count();
                const auto today = (unix_now + 8 * 3600) / 86400; // mainland days
                const auto table = co_await report::build(
                    cases, tickets, campaigns, tenant->cfg->id, data, *first, scope, today);
                std::cout << (csv ? report::to_csv(*table) : report::to_text(*table));
                co_return 0;
            } catch (const std::exception& e) {
                std::cerr << "report: cannot read the figures from Redis at " << cfg->redis << ": "
                          << e.what() << "\n";
            }
            co_return 1;
        });
}

} // namespace daiban::bot::cli
