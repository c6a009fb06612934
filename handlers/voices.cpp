// handlers layer: complaints (投诉) and suggestions (建议) — seed 001's 民意快线: accepted with a
// number, forwarded to an owner chosen by rule, answered by staff (答复 N, ticket_commands.cpp)
// and relayed to the resident. The rule never lets a complaint reach the person it is about: a
// complaint goes to the township's supervisor (it names a village agent, a village, or nobody),
// or to the county when it names a township or its staff. A suggestion goes to the village's
// contact agent. "匿名" keeps the writer's name off every card and out of the ticket. Once
// answered, the resident is asked to rate the answer (回访); a complaint's first bad rating
// reopens it.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"

#include <algorithm>
#include <string_view>

namespace daiban::handlers {

namespace asio = boost::asio;

namespace {

bool wants_anonymity(std::string_view text) {
    for (std::string_view w : {"匿名", "不要告诉", "别告诉", "别说是我", "不要说是我", "不留名"})
        if (text.find(w) != std::string_view::npos) return true;
    return false;
}

// Whom a complaint names: agents by name, villages by name or alias, townships by name.
struct named {
    std::vector<const model::agent*> agents;
    const model::village* village = nullptr;
    const model::township* township = nullptr;
};

named names_in(const org& o, std::string_view text) {
    named n;
    for (const auto& a : o.agents)
        if (!a.name.empty() && text.find(a.name) != std::string_view::npos) n.agents.push_back(&a);
    for (const auto& v : o.villages) {
        bool hit = text.find(v.name) != std::string_view::npos;
        for (const auto& alias : v.aliases)
            hit = hit || (!alias.empty() && text.find(alias) != std::string_view::npos);
        if (hit && !n.village) n.village = &v;
    }
    for (const auto& t : o.townships)
        if (text.find(t.name) != std::string_view::npos && !n.township) n.township = &t;
    return n;
}

const village* village_of_agent(const org& o, const std::string& agent_id) {
    for (const auto& v : o.villages)
        if (std::find(v.agents.begin(), v.agents.end(), agent_id) != v.agents.end()) return &v;
    return nullptr;
}

// The owner of a complaint: the county when a township or its staff is named; else the
// supervisor of the township concerned (the named village's or agent's, else the resident's).
std::string complaint_owner(const org& o, const named& n, const std::string& home_village) {
    bool about_township = n.township != nullptr;
    for (const auto* a : n.agents)
        about_township = about_township || a->role == "township" || a->role == "county";
    if (about_township) return o.county_admin;
    const village* v = n.village;
    for (const auto* a : n.agents)
        if (!v) v = village_of_agent(o, a->id);
    if (!v) v = o.find_village(home_village);
    const township* t = v ? o.find_township(v->township) : nullptr;
    if (t && !t->supervisor.empty()) return t->supervisor;
    return o.county_admin;
}

// What the complaint is about, as ids ("a_hhl_1,hhl"): kept with the ticket for the supervisor.
std::string about_ids(const named& n) {
    std::string out;
    for (const auto* a : n.agents)
        out += (out.empty() ? "" : ",") + a->id;
    if (n.village) out += (out.empty() ? "" : ",") + n.village->id;
    if (n.township) out += (out.empty() ? "" : ",") + n.township->id;
    return out;
}

asio::awaitable<void> accept_voice(context& ctx, state::ticket_kind kind) {
    if (!ctx.data) {
        co_await handle_fallback(ctx);
        co_return;
    }
    const auto& o = ctx.data->org_;
    const bool complaint = kind == state::ticket_kind::complaint;
    const auto home = co_await tickets::known_village(ctx);
    const auto n = names_in(o, ctx.in.text);
    auto req = tickets::ticket_request(ctx, kind);
    req.anonymous = wants_anonymity(ctx.in.text);
    req.village = home;
    if (const auto* v = o.find_village(home)) req.township = v->township;
    if (complaint) {
        req.owner = complaint_owner(o, n, home);
        req.about = about_ids(n);
    } else {
        const auto r = tickets::responders_of(ctx, home, cases::resident_id(ctx));
        req.owner = r.contact ? r.contact->id : o.county_admin;
    }
    const auto due = cases::calendar_of(ctx).add_working_days(
        cases::today(ctx), complaint ? o.limits.complaint_days : o.limits.suggestion_days);
    req.due = due.iso();
    req.due_days = due.to_days();
    const auto opened = co_await ctx.stores.tickets.open(req);

    const auto number = std::to_string(opened.number);
    const std::string kind_name = ctx.text.get(complaint ? "voice_complaint" : "voice_suggestion");
    const std::string place = home.empty() ? std::string() : cases::village_name(ctx.data, home);
    auto card = [&](bool with_name) {
        const std::string who =
            req.anonymous ? ctx.text.get("voice_anonymous")
                          : place + (req.resident_name.empty() || !with_name ? std::string("居民")
                                                                             : req.resident_name);
        return ctx.text.format("voice_card", {{"kind", kind_name},
                                              {"number", number},
                                              {"who", who},
                                              {"text", req.text},
                                              {"due", cases::month_day(req.due)}});
    };
    // The owner always hears it privately; a group only when the writer gave their name — and
    // for a complaint never the village's group, where the person complained about may sit.
    // Staff groups (a complaint's township or county) see the name; a village group, where
    // villagers read along, does not.
    if (auto to = cases::private_reach(ctx, req.owner))
        ctx.tell({chat_kind::private_chat, to->id}, card(true), {}, to->channel);
    if (!req.anonymous) {
        if (complaint) {
            if (auto group = tickets::staff_group(ctx, req.owner))
                ctx.tell(*group, card(true), cases::group_mention(ctx, req.owner));
        } else if (auto group = cases::village_group(ctx, home)) {
            ctx.tell(*group, card(false), cases::group_mention(ctx, req.owner));
        }
    }
    ctx.say(ctx.text.format(complaint ? "voice_complaint_accepted" : "voice_suggestion_accepted",
                            {{"number", number},
                             {"owner", cases::agent_name(ctx.data, req.owner)},
                             {"due", cases::month_day(req.due)}}) +
            (req.anonymous ? ctx.text.get("voice_anonymous_note") : std::string()));
}

std::string kind_name(const context& ctx, const state::ticket_record& t) {
    return ctx.text.get(t.kind == state::ticket_kind::complaint ? "voice_complaint"
                                                                : "voice_suggestion");
}

// A complaint rated badly the first time goes back to its owner with a new due date; the owner
// hears it privately and their staff group sees it, as when it came in.
asio::awaitable<void> reopen(context& ctx, const state::ticket_record& t, int score) {
    const auto due = cases::calendar_of(ctx).add_working_days(cases::today(ctx),
                                                              ctx.data->org_.limits.complaint_days);
    state::ticket_change c;
    c.from = {state::ticket_status::answered};
    c.to = state::ticket_status::open;
    c.fields = {{"rating", std::to_string(score)},
                {"reopened", "1"},
                {"due", due.iso()},
                {"due_days", std::to_string(due.to_days())}};
    c.event = {ctx.now, t.resident, "reopened", std::to_string(score)};
    const auto changed = co_await ctx.stores.tickets.change(ctx.in.tenant, t.number, c);
    if (changed.outcome != state::ticket_change_result::done) co_return;
    const auto n = std::to_string(t.number);
    const std::vector<std::pair<std::string_view, std::string>> values = {
        {"number", n},
        {"score", std::to_string(score)},
        {"text", t.text},
        {"answer", t.answer},
        {"due", cases::month_day(due.iso())},
        {"owner", cases::agent_name(ctx.data, t.owner)}};
    if (auto to = cases::private_reach(ctx, t.owner))
        ctx.tell({chat_kind::private_chat, to->id}, ctx.text.format("voice_reopened_staff", values),
                 {}, to->channel);
    if (auto group = tickets::staff_group(ctx, t.owner))
        ctx.tell(*group, ctx.text.format("voice_reopened_staff", values),
                 cases::group_mention(ctx, t.owner));
    ctx.say(ctx.text.format("voice_reopened_resident", values));
}

} // namespace

asio::awaitable<void>
rate_answered_ticket(context& ctx, std::int64_t number, std::optional<int> score) {
    const auto rid = cases::resident_id(ctx);
    const auto t = co_await ctx.stores.tickets.get(ctx.in.tenant, number);
    if (!t || t->resident != rid || t->status != state::ticket_status::answered) {
        ctx.say(ctx.text.get("rate_nothing"));
        co_return;
    }
    const auto n = std::to_string(number);
    if (!score || *score < 1 || *score > 5) {
        ctx.say(
            ctx.text.format("voice_rate_ask_again", {{"kind", kind_name(ctx, *t)}, {"number", n}}));
        ctx.conv.pending = pending_question{question_kind::rating, {intent_id::rate, {}}, {}};
        co_return;
    }
    // The marker goes first: a rating is read once, whatever happens next.
    co_await ctx.stores.residents.set(ctx.in.tenant, rid, "awaiting_ticket_rating", "0");
    const bool bad = *score <= 2;
    if (bad && t->kind == state::ticket_kind::complaint && !t->reopened) {
        co_await reopen(ctx, *t, *score);
        co_return;
    }
    state::ticket_change c;
    c.from = {state::ticket_status::answered};
    c.to = state::ticket_status::closed;
    c.fields = {{"rating", std::to_string(*score)}, {"closed_at", std::to_string(ctx.now)}};
    c.event = {ctx.now, rid, "rated", std::to_string(*score)};
    co_await ctx.stores.tickets.change(ctx.in.tenant, number, c);
    const auto level = cases::rating_level(ctx.text, *score);
    if (!bad) {
        ctx.say(ctx.text.format("rate_thanks", {{"level", level}}));
        co_return;
    }
    // Unhappy again after a second answer: the county hears of it (督办); it stays closed.
    ctx.say(ctx.text.format("rate_sorry", {{"level", level}}));
    const auto& o = ctx.data->org_;
    if (!o.county_group.empty())
        ctx.tell({chat_kind::group, o.county_group},
                 ctx.text.format("voice_unhappy_county",
                                 {{"kind", kind_name(ctx, *t)},
                                  {"number", n},
                                  {"level", level},
                                  {"text", t->text},
                                  {"owner", cases::agent_name(ctx.data, t->owner)}}),
                 cases::group_mention(ctx, o.county_admin));
}

asio::awaitable<void> handle_complain(context& ctx) {
    co_await accept_voice(ctx, state::ticket_kind::complaint);
}

asio::awaitable<void> handle_suggest(context& ctx) {
    co_await accept_voice(ctx, state::ticket_kind::suggestion);
}

} // namespace daiban::handlers
