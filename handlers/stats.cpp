// handlers layer: 统计 — the figures an agent may see, in chat. A village agent sees their
// villages and what they handled themselves; a township supervisor the township and each of its
// villages; the county administrator the county and each township. "统计 本月" / "上周" / "11月"
// / "今年" narrow the period (by the day a case was opened or a ticket reported); "统计 长梁村"
// narrows to one village within the agent's reach. The counting is handlers/kpis: this file only
// chooses the scopes and words.
#include "handlers/case_support.hpp"
#include "handlers/kpis.hpp"
#include "handlers/registry.hpp"

#include <cstdio>
#include <set>
#include <string_view>

namespace daiban::handlers {

namespace {

struct period_choice {
    kpis::period days;
    std::string label; // "本月（12月1日至今）", "累计"
};

std::string md(const civil_date& d) {
    return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

bool mentions(std::string_view text, std::initializer_list<std::string_view> words) {
    for (auto w : words)
        if (text.find(w) != std::string_view::npos) return true;
    return false;
}

period_choice month_of(int year, int month, const civil_date& today, std::string label) {
    const civil_date first{year, month, 1};
    const civil_date next =
        month == 12 ? civil_date{year + 1, 1, 1} : civil_date{year, month + 1, 1};
    const auto last = std::min(next.to_days() - 1, today.to_days());
    return {{first.to_days(), last},
            label + "（" + md(first) + "至" + md(civil_date::from_days(last)) + "）"};
}

// The period the agent asked for, from their words; everything when they named none.
period_choice period_asked(std::string_view text, const civil_date& today) {
    const auto t = today.to_days();
    // Monday of this week (1970-01-01, day 0, was a Thursday).
    const auto monday = t - ((t + 3) % 7);
    if (mentions(text, {"上个月", "上月"})) {
        const int m = today.month == 1 ? 12 : today.month - 1;
        const int y = today.month == 1 ? today.year - 1 : today.year;
        return month_of(y, m, today, "上月");
    }
    if (mentions(text, {"本月", "这个月", "这月", "当月"}))
        return month_of(today.year, today.month, today, "本月");
    if (mentions(text, {"上周", "上星期", "上礼拜"}))
        return {{monday - 7, monday - 1},
                "上周（" + md(civil_date::from_days(monday - 7)) + "至" +
                    md(civil_date::from_days(monday - 1)) + "）"};
    if (mentions(text, {"本周", "这周", "这星期", "这礼拜", "本星期"}))
        return {{monday, t}, "本周（" + md(civil_date::from_days(monday)) + "至今）"};
    if (mentions(text, {"今天", "今日"})) return {{t, t}, "今天"};
    if (mentions(text, {"季度"})) {
        const int first_month = (today.month - 1) / 3 * 3 + 1;
        const civil_date first{today.year, first_month, 1};
        return {{first.to_days(), t}, "本季度（" + md(first) + "至今）"};
    }
    if (mentions(text, {"今年", "本年", "全年"})) {
        const civil_date first{today.year, 1, 1};
        return {{first.to_days(), t}, std::to_string(today.year) + "年"};
    }
    // "11月": that month, this year or — when it has not come yet — last year.
    for (int m = 12; m >= 1; --m) {
        const auto word = std::to_string(m) + "月";
        const auto at = text.find(word);
        if (at == std::string_view::npos) continue;
        if (at > 0 && text[at - 1] >= '0' && text[at - 1] <= '9') continue; // "12月" is not "2月"
        const int y = m > today.month ? today.year - 1 : today.year;
        return month_of(y, m, today, std::to_string(y) + "年" + std::to_string(m) + "月");
    }
    return {{}, "累计"};
}

std::string percent(std::optional<double> r) {
    if (!r) return "—";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * *r);
    return buf;
}

std::string one_decimal(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string duration(std::optional<std::int64_t> seconds) {
    if (!seconds) return "—";
    if (*seconds < 60) return "不到1分钟";
    if (*seconds < 2 * 3600) return std::to_string((*seconds + 30) / 60) + "分钟";
    return one_decimal(static_cast<double>(*seconds) / 3600.0) + "小时";
}

// The lines under a scope's case line: ratings, emergencies, tickets and campaigns, each when
// there are any (each starts with a newline).
std::string lines_after_cases(const context& ctx, const kpis::figures& f) {
    const auto& c = f.cases;
    std::string out;
    if (c.done > 0) {
        const auto days = kpis::mean_handling_days(c);
        out +=
            "\n" + ctx.text.format("stats_ratings",
                                   {{"satisfied_rate", percent(kpis::rate(c.satisfied, c.rated))},
                                    {"rated", std::to_string(c.rated)},
                                    {"rated_rate", percent(kpis::rate(c.rated, c.done))},
                                    {"days", days ? one_decimal(*days) : "—"}});
    }
    const auto& e = f.emergencies;
    if (e.reported > 0)
        out += "\n" +
               ctx.text.format("stats_emergencies",
                               {{"reported", std::to_string(e.reported)},
                                {"ack_median", duration(kpis::percentile(e.ack_seconds, 50))},
                                {"ack_p90", duration(kpis::percentile(e.ack_seconds, 90))},
                                {"site_median", duration(kpis::percentile(e.on_site_seconds, 50))},
                                {"site_p90", duration(kpis::percentile(e.on_site_seconds, 90))}});
    const int voices = f.complaints.received + f.suggestions.received + f.consultations.received;
    if (voices > 0) {
        const int answered =
            f.complaints.answered + f.suggestions.answered + f.consultations.answered;
        const int on_time = f.complaints.answered_on_time + f.suggestions.answered_on_time +
                            f.consultations.answered_on_time;
        const int overdue = f.complaints.overdue + f.suggestions.overdue + f.consultations.overdue;
        out += "\n" + ctx.text.format("stats_tickets",
                                      {{"complaints", std::to_string(f.complaints.received)},
                                       {"suggestions", std::to_string(f.suggestions.received)},
                                       {"consultations", std::to_string(f.consultations.received)},
                                       {"answered", std::to_string(answered)},
                                       {"on_time_rate", percent(kpis::rate(on_time, answered))},
                                       {"overdue", std::to_string(overdue)}});
    }
    const auto& k = f.campaigns;
    if (k.members > 0)
        out += "\n" + ctx.text.format("stats_campaigns",
                                      {{"campaigns", std::to_string(k.campaigns)},
                                       {"members", std::to_string(k.members)},
                                       {"answered", std::to_string(k.answered)},
                                       {"rate", percent(kpis::rate(k.answered, k.members))},
                                       {"in_time", std::to_string(k.answered_in_time)}});
    return out;
}

// One scope's lines: cases (unless the scope has only other kinds); ratings, emergencies,
// tickets and campaigns when there are any.
std::string lines_for(const context& ctx, const std::string& name, const kpis::figures& f) {
    const auto& c = f.cases;
    const bool other_kinds = f.emergencies.reported + f.complaints.received +
                                 f.suggestions.received + f.consultations.received +
                                 f.campaigns.members >
                             0;
    if (c.received == 0 && c.open == 0 && other_kinds) {
        std::string rest = lines_after_cases(ctx, f);
        return ctx.text.format("stats_scope_only", {{"scope", name}}) + rest;
    }
    return ctx.text.format("stats_cases",
                           {{"scope", name},
                            {"received", std::to_string(c.received)},
                            {"done", std::to_string(c.done)},
                            {"done_rate", percent(kpis::rate(c.done, c.received))},
                            {"on_time_rate", percent(kpis::rate(c.done_on_time, c.done))},
                            {"open", std::to_string(c.open)},
                            {"overdue", std::to_string(c.overdue)}}) +
           lines_after_cases(ctx, f);
}

} // namespace

boost::asio::awaitable<void> handle_stats(context& ctx) {
    const agent* me = ctx.sender_agent();
    if (!me) {
        ctx.say(ctx.text.get("agent_only"));
        co_return;
    }
    const auto& d = *ctx.data; // sender_agent() is only ever set with tenant data
    const auto today = cases::today(ctx);
    const auto when = period_asked(ctx.understood.normalized, today);

    // "统计 长梁村": one village, if it is within the agent's reach.
    const village* only = nullptr;
    if (ctx.understood.village) {
        only = cases::find_village(d.org_, *ctx.understood.village);
        if (only && !d.org_.reaches(*me, *only)) {
            ctx.say(ctx.text.format("stats_not_yours", {{"village", only->name}}));
            co_return;
        }
    }
    const auto report =
        co_await kpis::gather(ctx.stores.cases, ctx.stores.tickets, ctx.stores.campaigns,
                              ctx.in.tenant, d, today.to_days(), when.days);

    // What to show, biggest first: the county and its townships; a township and its villages;
    // a village agent's villages and their own share.
    std::vector<std::pair<std::string, std::string>> shown; // name, scope
    std::vector<std::string> quiet;                         // villages with nothing in the period
    std::set<std::string> listed;
    auto village_line = [&](const village& v) {
        const auto scope = kpis::village_scope(v.id);
        if (!listed.insert(scope).second) return; // a supervisor who is also the village's agent
        if (report.by_scope.contains(scope) || only)
            shown.emplace_back(v.name, scope);
        else
            quiet.push_back(v.name);
    };
    if (only) {
        village_line(*only);
    } else if (me->role == "county") {
        shown.emplace_back(ctx.text.get("stats_county"), kpis::county_scope());
        for (const auto& t : d.org_.townships) {
            const auto scope = kpis::township_scope(t.id);
            if (report.by_scope.contains(scope))
                shown.emplace_back(t.name, scope);
            else
                quiet.push_back(t.name);
        }
    } else {
        for (const auto& t : d.org_.townships) {
            if (t.supervisor != me->id) continue;
            shown.emplace_back(t.name + ctx.text.get("stats_total"), kpis::township_scope(t.id));
            for (const auto& v : d.org_.villages)
                if (v.township == t.id) village_line(v);
        }
        for (const auto& v : d.org_.villages)
            if (model::org::is_agent_of(v, *me)) village_line(v);
        if (me->role == "village")
            shown.emplace_back(ctx.text.get("stats_yours"), kpis::agent_scope(me->id));
    }

    std::string out = ctx.text.format("stats_header", {{"period", when.label}});
    for (const auto& [name, scope] : shown)
        out += "\n" + lines_for(ctx, name, report.of(scope));
    if (!quiet.empty()) {
        std::string names;
        for (const auto& n : quiet)
            names += (names.empty() ? "" : "、") + n;
        out += "\n" + ctx.text.format("stats_quiet", {{"villages", names}});
    }
    ctx.say(out);
}

} // namespace daiban::handlers
