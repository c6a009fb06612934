// handlers layer: the service's figures (see kpis.hpp for the definitions).
#include "handlers/kpis.hpp"

#include <algorithm>
#include <set>

namespace daiban::handlers::kpis {

namespace {

constexpr std::int64_t mainland_offset_s = 8 * 3600;

// The civil day (mainland time) of a Unix instant, as civil_date::to_days().
std::int64_t day_of(std::int64_t unix_s) {
    return (unix_s + mainland_offset_s) / 86400;
}

// The scopes a record counts in: its village, that village's township (or the township the
// record names), the county, and the agent answerable for it.
std::vector<std::string> scopes_of(const model::tenant_data& data,
                                   const std::string& village,
                                   std::string township,
                                   const std::string& agent) {
    std::vector<std::string> out{county_scope()};
    if (!village.empty()) {
        out.push_back(village_scope(village));
        if (const auto* v = data.org_.find_village(village)) township = v->township;
    }
    if (!township.empty()) out.push_back(township_scope(township));
    if (!agent.empty()) out.push_back(agent_scope(agent));
    return out;
}

} // namespace

bool overdue(const state::case_record& c, std::int64_t today_days) {
    return state::is_open(c.status) && c.due_days < today_days && c.paused_on == 0;
}

namespace {

void count_case(case_counts& k, const state::case_record& c, std::int64_t today_days) {
    ++k.received;
    ++k.by_status[std::string(state::to_string(c.status))];
    if (state::is_open(c.status)) {
        ++k.open;
        if (overdue(c, today_days)) ++k.overdue;
        return;
    }
    ++k.done;
    if (c.done_at > 0) {
        ++k.timed;
        k.handling_seconds += std::max<std::int64_t>(0, c.done_at - c.opened_at);
        if (day_of(c.done_at) <= c.due_days) ++k.done_on_time;
    }
    if (c.rating > 0) {
        ++k.rated;
        if (c.rating >= 4) ++k.satisfied;
    }
}

void count_ticket(ticket_counts& k, const state::ticket_record& t, std::int64_t today_days) {
    ++k.received;
    const auto answered_at = t.answered_at > 0 ? t.answered_at : t.closed_at;
    if (t.status == state::ticket_status::answered || t.status == state::ticket_status::closed) {
        ++k.answered;
        if (t.due_days == 0 || (answered_at > 0 && day_of(answered_at) <= t.due_days))
            ++k.answered_on_time;
        return;
    }
    if (t.due_days > 0 && t.due_days < today_days) ++k.overdue;
}

void count_emergency(emergency_counts& k, const state::ticket_record& t) {
    ++k.reported;
    if (t.acknowledged_at > 0)
        k.ack_seconds.push_back(std::max<std::int64_t>(0, t.acknowledged_at - t.reported_at));
    if (t.on_site_at > 0)
        k.on_site_seconds.push_back(std::max<std::int64_t>(0, t.on_site_at - t.reported_at));
}

} // namespace

std::string county_scope() {
    return "county";
}
std::string township_scope(const std::string& id) {
    return "township:" + id;
}
std::string village_scope(const std::string& id) {
    return "village:" + id;
}
std::string agent_scope(const std::string& id) {
    return "agent:" + id;
}

const figures& report::of(const std::string& scope) const {
    static const figures none;
    const auto it = by_scope.find(scope);
    return it == by_scope.end() ? none : it->second;
}

void add(report& r,
         const model::tenant_data& data,
         const state::case_record& c,
         std::int64_t today_days) {
    if (c.status == state::case_status::cancelled) return;
    // The agent who took it (接单) answers for it; until then its first owner (首问负责).
    const auto& agent = c.claimed_by.empty() ? c.owner : c.claimed_by;
    for (const auto& scope : scopes_of(data, c.village, "", agent))
        count_case(r.by_scope[scope].cases, c, today_days);
}

void add(report& r,
         const model::tenant_data& data,
         const state::ticket_record& t,
         std::int64_t today_days) {
    if (t.status == state::ticket_status::withdrawn) return;
    // An emergency counts for whoever acknowledged it; the rest for their owner.
    const bool emergency = t.kind == state::ticket_kind::emergency;
    const auto& agent = emergency && !t.acknowledged_by.empty() ? t.acknowledged_by : t.owner;
    for (const auto& scope : scopes_of(data, t.village, t.township, agent)) {
        auto& f = r.by_scope[scope];
        switch (t.kind) {
        case state::ticket_kind::emergency:
            count_emergency(f.emergencies, t);
            break;
        case state::ticket_kind::complaint:
            count_ticket(f.complaints, t, today_days);
            break;
        case state::ticket_kind::suggestion:
            count_ticket(f.suggestions, t, today_days);
            break;
        case state::ticket_kind::consultation:
            count_ticket(f.consultations, t, today_days);
            break;
        }
    }
}

bool period::contains(std::int64_t unix_s) const {
    const auto d = day_of(unix_s);
    return d >= from_day && d <= to_day;
}

void add(report& r, const model::tenant_data& data, const state::campaign_record& c) {
    std::set<std::string> touched; // scopes this campaign counts in, once each
    for (const auto& m : c.roster) {
        const auto answer = c.answers.find(m.key);
        const bool answered = answer != c.answers.end();
        const bool in_time = answered && day_of(answer->second.at) <= c.deadline_days;
        for (const auto& scope : scopes_of(data, m.village, "", m.contact)) {
            auto& k = r.by_scope[scope].campaigns;
            if (touched.insert(scope).second) ++k.campaigns;
            ++k.members;
            k.answered += answered;
            k.answered_in_time += in_time;
        }
    }
}

boost::asio::awaitable<std::vector<report>> gather(state::case_store& cases,
                                                   state::ticket_store& tickets,
                                                   state::campaign_store& campaigns,
                                                   const std::string& tenant,
                                                   const model::tenant_data& data,
                                                   std::int64_t today_days,
                                                   const std::vector<period>& periods) {
    // Each record is read once and counted in every period it falls in.
    std::vector<report> r(periods.size());
    for (const auto& v : data.org_.villages) {
        const auto numbers = co_await cases.by_village(tenant, v.id);
        for (const auto n : numbers) {
            const auto c = co_await cases.get(tenant, n);
            for (std::size_t k = 0; c && k < periods.size(); ++k)
                if (periods[k].contains(c->opened_at)) add(r[k], data, *c, today_days);
        }
    }
    const auto last = co_await tickets.last_number(tenant);
    for (std::int64_t n = 1; n <= last; ++n) {
        const auto t = co_await tickets.get(tenant, n);
        for (std::size_t k = 0; t && k < periods.size(); ++k)
            if (periods[k].contains(t->reported_at)) add(r[k], data, *t, today_days);
    }
    const auto last_campaign = co_await campaigns.last_number(tenant);
    for (std::int64_t n = 1; n <= last_campaign; ++n) {
        const auto c = co_await campaigns.get(tenant, n);
        for (std::size_t k = 0; c && k < periods.size(); ++k)
            if (periods[k].contains(c->started_at)) add(r[k], data, *c);
    }
    co_return r;
}

boost::asio::awaitable<report> gather(state::case_store& cases,
                                      state::ticket_store& tickets,
                                      state::campaign_store& campaigns,
                                      const std::string& tenant,
                                      const model::tenant_data& data,
                                      std::int64_t today_days,
                                      period when) {
    const std::vector<period> one{when};
    auto all = co_await gather(cases, tickets, campaigns, tenant, data, today_days, one);
    co_return std::move(all.front());
}

std::optional<double> rate(int part, int whole) {
    if (whole <= 0) return std::nullopt;
    return static_cast<double>(part) / whole;
}

std::optional<double> mean_handling_days(const case_counts& c) {
    if (c.timed <= 0) return std::nullopt;
    return static_cast<double>(c.handling_seconds) / c.timed / 86400.0;
}

std::optional<std::int64_t> percentile(std::vector<std::int64_t> values, int p) {
    if (values.empty() || p <= 0 || p > 100) return std::nullopt;
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least p% of the values at or below it.
    const auto rank = (static_cast<std::size_t>(p) * values.size() + 99) / 100;
    return values[std::max<std::size_t>(rank, 1) - 1];
}

} // namespace daiban::handlers::kpis
