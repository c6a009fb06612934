// handlers layer: the monthly 通报 — for a scope (the county, a township or a village), the
// month's KPIs of the scope, of each township or village in it and of each village agent in it,
// against the previous month's. One table for every reader: `daiban report` in the terminal and
// GET /api/v1/report in the console (CSV, printable page, JSON). The figures are handlers/kpis'.
#pragma once

#include "handlers/kpis.hpp"
#include "model/civil_date.hpp"
#include "model/tenant_data.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace daiban::handlers::monthly_report {

struct row {
    std::string name;                // "法库镇合计", "黄花岭村", "代理员 李春生"
    std::string scope;               // kpis scope ("township:fk", "agent:a_hhl_1")
    std::vector<std::string> cells;  // this month, in columns()' order
    std::vector<std::string> before; // the previous month
};

struct table {
    std::string month;    // "2026-11"
    std::string previous; // "2026-10"
    std::vector<row> rows;
};

// The column headers, in the cells' order.
const std::vector<std::string>& columns();

// "2026-11" -> the 1st of that month; nullopt when malformed.
std::optional<model::civil_date> month_named(const std::string& s);

// Is `scope` ("county", "township:<id>", "village:<id>") one of the tenant's?
bool known_scope(const model::tenant_data& d, const std::string& scope);

// Reads the figures of `first`'s month and the month before and fills the table; nullopt when
// the scope is unknown. Throws state::store_unavailable when Redis fails.
boost::asio::awaitable<std::optional<table>> build(state::case_store& cases,
                                                   state::ticket_store& tickets,
                                                   state::campaign_store& campaigns,
                                                   const std::string& tenant,
                                                   const model::tenant_data& data,
                                                   const model::civil_date& first,
                                                   const std::string& scope,
                                                   std::int64_t today_days);

// The table as CSV (a header row, then each row with this month's and last month's cells side by
// side) and as lines of text for a terminal or a chat.
std::string to_csv(const table& t);
std::string to_text(const table& t);

} // namespace daiban::handlers::monthly_report
