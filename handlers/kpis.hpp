// handlers layer: the service's figures (KPIs), one module for every reader — the agents' `统计`
// in chat today, a web console later. Figures are counted per scope (an agent, a village, a
// township, the county) in one pass over the tenant's cases and tickets; the rates are derived
// from the counts, so a reader can show "9/12" as well as "75%".
//
// Definitions (what township staff report; the seeds' 办结率 / 满意率 / 回访):
//   cases received  every case opened, less the cancelled ones
//   办结率           done / received (done = done or rated)
//   按时办结率       done on or before the due day (mainland time) / done
//   回访率           rated / done
//   满意率           rated 4 or 5 / rated
//   handling time   mean of done_at - opened_at over the done cases
//   overdue         open cases past their due day whose clock runs (not waiting on 补正)
//   tickets         per kind: received (less withdrawn), answered (answered or closed), answered
//                   on time (by the due day), open past the due day; consultations count against
//                   their township like cases do
//   emergencies     reported (less withdrawn); acknowledgement and on-site delays in seconds
//                   from the report, as median and 90th percentile (nearest rank)
//   campaigns       (收缴 / 通知) counted by the campaign's start: households on the rosters,
//                   those who answered, those who answered by the deadline day; a member counts
//                   in their own village, its township, the county and for their contact cadre
#pragma once

#include "model/tenant_data.hpp"
#include "state/campaign_store.hpp"
#include "state/case_store.hpp"
#include "state/ticket_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace daiban::handlers::kpis {

struct case_counts {
    int received = 0;
    int done = 0;
    int done_on_time = 0;
    int open = 0;
    int overdue = 0;
    int rated = 0;
    int satisfied = 0;
    int timed = 0;                     // done cases that know when they were done
    std::int64_t handling_seconds = 0; // summed over the timed ones
    std::map<std::string, int>
        by_status; // state::to_string(status) -> cases (cancelled ones are not counted)
};

struct ticket_counts {
    int received = 0;
    int answered = 0;
    int answered_on_time = 0;
    int overdue = 0; // still unanswered past the due day
};

struct emergency_counts {
    int reported = 0;
    std::vector<std::int64_t> ack_seconds;     // one per acknowledged report
    std::vector<std::int64_t> on_site_seconds; // one per report someone reached
};

struct campaign_counts {
    int campaigns = 0; // campaigns with at least one member in the scope
    int members = 0;
    int answered = 0;
    int answered_in_time = 0; // by the deadline day
};

struct figures {
    case_counts cases;
    ticket_counts complaints;
    ticket_counts suggestions;
    ticket_counts consultations;
    emergency_counts emergencies;
    campaign_counts campaigns;
};

// Who the figures are for: "county", "township:<id>", "village:<id>" or "agent:<id>".
std::string county_scope();
std::string township_scope(const std::string& id);
std::string village_scope(const std::string& id);
std::string agent_scope(const std::string& id);

// Figures by scope. A scope with nothing in it is absent: read it with `of`.
struct report {
    std::map<std::string, figures> by_scope;
    const figures& of(const std::string& scope) const;
};

// Is the case open past its due day with its clock running (not waiting on 补正)?
bool overdue(const state::case_record& c, std::int64_t today_days);

// Adds one record to every scope it belongs to (its village, the village's township, the
// county, and the agent answerable for it). `today_days`: civil_date::to_days() of today in
// mainland time, for "overdue".
void add(report& r,
         const model::tenant_data& data,
         const state::case_record& c,
         std::int64_t today_days);
void add(report& r,
         const model::tenant_data& data,
         const state::ticket_record& t,
         std::int64_t today_days);
void add(report& r, const model::tenant_data& data, const state::campaign_record& c);

// Which records count: those opened (cases) or reported (tickets) on days [from_day, to_day]
// (civil_date::to_days(), mainland time). The default is everything.
struct period {
    std::int64_t from_day = INT64_MIN;
    std::int64_t to_day = INT64_MAX;
    bool contains(std::int64_t unix_s) const;
};

// Reads every case of the tenant's villages, every ticket and every campaign, and counts those
// in `when`.
boost::asio::awaitable<report> gather(state::case_store& cases,
                                      state::ticket_store& tickets,
                                      state::campaign_store& campaigns,
                                      const std::string& tenant,
                                      const model::tenant_data& data,
                                      std::int64_t today_days,
                                      period when = {});
// The same for several periods at once (weeks, this month and the last), reading every record
// once: one report per period, in their order.
boost::asio::awaitable<std::vector<report>> gather(state::case_store& cases,
                                                   state::ticket_store& tickets,
                                                   state::campaign_store& campaigns,
                                                   const std::string& tenant,
                                                   const model::tenant_data& data,
                                                   std::int64_t today_days,
                                                   const std::vector<period>& periods);

// part / whole, or nothing when whole is 0 (a rate of nothing is not 0%).
std::optional<double> rate(int part, int whole);
// Mean handling time in days, or nothing when no case is done.
std::optional<double> mean_handling_days(const case_counts& c);
// The nearest-rank percentile (0 < p <= 100) of `values`, or nothing when there are none.
std::optional<std::int64_t> percentile(std::vector<std::int64_t> values, int p);

} // namespace daiban::handlers::kpis
