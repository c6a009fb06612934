// handlers layer: emergencies (急事/灾情: hail, flood, fire, a fall, a missing elder). The one
// flow that acts before it asks, because a false alarm costs a phone call and a missed one a
// harvest or a life: a message the NLU reads as report_emergency alerts the village's contact
// agent, its group and the township's duty officer at once, opens a ticket, and arms two
// escalations (no 收到 within 10 minutes: the township group; within 30: the county group).
// For two hours after, the conversation's photos, location and further words go to the ticket,
// and "不是急事" takes the alarm back. The agents' side (收到, 到场, 解除) is ticket_commands.cpp.
#include "handlers/case_support.hpp"
#include "handlers/received_files.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"
#include "state/resident_store.hpp"
#include "state/timer_store.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

namespace daiban::handlers {

namespace asio = boost::asio;
using state::ticket_status;

namespace {

using namespace tickets;

// Photos, a location and more words within this long after a report belong to it.
constexpr std::int64_t follow_up_s = 2 * 3600;
// The escalation timers run as the system, not in the resident's conversation.
constexpr std::string_view timer_target = "sys:emergencies";

// The escalation ladder without 收到: the township group, then the county group, after the
// tenant's minutes (org.json "time_limits"; 10 and 30 by default).
struct escalation {
    std::string_view level;
    std::int64_t minutes;
};
std::array<escalation, 2> escalations_of(const context& ctx) {
    const auto& l = ctx.data->org_.limits;
    return {{{"township", l.emergency_township_minutes}, {"county", l.emergency_county_minutes}}};
}

std::int64_t number_of(std::string_view s) {
    std::int64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
}

asio::awaitable<void> arm_escalations(context& ctx, std::int64_t number) {
    const auto ids = escalation_timer_ids(number);
    const auto escalations = escalations_of(ctx);
    for (std::size_t i = 0; i < escalations.size(); ++i) {
        state::timer t;
        t.id = ids[i];
        t.due_ms = ctx.now * 1000 + escalations[i].minutes * 60'000;
        t.kind = "emergency_unacked";
        t.target = std::string(timer_target);
        t.channel = "hook";
        t.payload = std::to_string(number) + "|" + std::string(escalations[i].level);
        co_await ctx.stores.timers.schedule(ctx.in.tenant, t);
    }
}

// The emergency this conversation reported in the last two hours, if it is still open.
asio::awaitable<std::optional<state::ticket_record>> recent_emergency(context& ctx) {
    if (ctx.conv.ticket == 0 || ctx.now - ctx.conv.ticket_at > follow_up_s) co_return std::nullopt;
    auto t = co_await ctx.stores.tickets.get(ctx.in.tenant, ctx.conv.ticket);
    if (!t || t->kind != state::ticket_kind::emergency || !state::is_open(t->status))
        co_return std::nullopt;
    co_return t;
}

// "已经通知蒋文秀（电话 …）": the nearest responder by name and phone.
void tell_who_is_coming(context& ctx, const responders& r) {
    const agent* a = r.contact ? r.contact : r.duty;
    if (!a) {
        ctx.say(ctx.text.get("emergency_told_county"));
        return;
    }
    ctx.say(ctx.text.format("emergency_told", {{"agent", a->name}, {"phone", a->phone}}));
}

std::string owner_of(const context& ctx, const responders& r) {
    if (r.contact) return r.contact->id;
    if (r.duty) return r.duty->id;
    return ctx.data ? ctx.data->org_.county_admin : std::string();
}

// More words about an emergency already reported: passed on, no second alarm.
asio::awaitable<void> add_to_report(context& ctx, state::ticket_record& t) {
    state::ticket_change c;
    c.event = {ctx.now, cases::resident_id(ctx), "note", ctx.in.text};
    co_await ctx.stores.tickets.change(ctx.in.tenant, t.number, c);
    alert_responders(ctx, t, "emergency_more_group", {{"text", ctx.in.text}});
    ctx.say(ctx.text.get("emergency_more_kept"));
}

// The answer to "您是哪个村的" after a report from someone the bot could not place.
asio::awaitable<void> place_report(context& ctx) {
    const auto number = number_of(ctx.asked->topic.subject);
    const village* v = cases::village_answered(ctx);
    if (!v) {
        cases::ask_village(ctx, ctx.asked->topic);
        co_return;
    }
    co_await cases::remember_resident(ctx, v->id);
    const auto rid = cases::resident_id(ctx);
    auto t = co_await ctx.stores.tickets.get(ctx.in.tenant, number);
    const auto r = responders_of(ctx, v->id, rid);
    if (!t || !state::is_open(t->status)) {
        tell_who_is_coming(ctx, r);
        co_return;
    }
    state::ticket_change c;
    c.fields = {{"village", v->id},
                {"township", r.township ? r.township->id : std::string()},
                {"owner", owner_of(ctx, r)}};
    c.event = {ctx.now, rid, "placed", v->name};
    co_await ctx.stores.tickets.change(ctx.in.tenant, number, c);
    // The county heard it first: it learns where, and the village hears it now.
    if (ctx.data && !ctx.data->org_.county_group.empty())
        ctx.tell({chat_kind::group, ctx.data->org_.county_group},
                 ctx.text.format("emergency_village_known",
                                 {{"number", std::to_string(number)}, {"village", v->name}}));
    t->village = v->id;
    alert_responders(ctx, *t, "emergency_card", {{"text", t->text}});
    tell_who_is_coming(ctx, r);
}

} // namespace

asio::awaitable<void> handle_report_emergency(context& ctx) {
    if (ctx.asked && ctx.asked->asks(question_kind::village, intent_id::report_emergency)) {
        co_await place_report(ctx);
        co_return;
    }
    if (!ctx.data) {
        co_await handle_fallback(ctx);
        co_return;
    }
    auto recent = co_await recent_emergency(ctx);
    if (recent) {
        co_await add_to_report(ctx, *recent);
        co_return;
    }
    const auto village = co_await known_village(ctx);
    const auto r = responders_of(ctx, village, cases::resident_id(ctx));
    auto req = ticket_request(ctx, state::ticket_kind::emergency);
    req.village = r.village ? r.village->id : std::string();
    req.township = r.township ? r.township->id : std::string();
    req.owner = owner_of(ctx, r);
    const auto opened = co_await ctx.stores.tickets.open(req);

    // Alert first: the responders hear it in this very turn's pushes.
    auto rec = state::decode_ticket(state::ticket_fields(req));
    rec.number = opened.number;
    rec.reported_at = ctx.now;
    alert_responders(ctx, rec, "emergency_card", {{"text", rec.text}});
    co_await arm_escalations(ctx, opened.number);
    ctx.conv.ticket = opened.number;
    ctx.conv.ticket_at = ctx.now;
    tell_who_is_coming(ctx, r);
    if (!r.village) {
        const question_topic topic{intent_id::report_emergency, std::to_string(opened.number)};
        cases::ask_village(ctx, topic);
    }
}

asio::awaitable<bool> file_emergency_photo(context& ctx) {
    auto t = co_await recent_emergency(ctx);
    if (!t) co_return false;
    auto file = co_await keep_received_file(ctx);
    if (!file) co_return true; // the resident was told why
    state::ticket_change c;
    c.file = *file;
    c.event = {ctx.now, cases::resident_id(ctx), "photo", ""};
    co_await ctx.stores.tickets.change(ctx.in.tenant, t->number, c);
    std::size_t count = t->files.size();
    if (std::find(t->files.begin(), t->files.end(), *file) == t->files.end()) ++count;
    alert_responders(ctx, *t, "emergency_photo_group", {{"count", std::to_string(count)}});
    ctx.say(ctx.text.get("emergency_photo_kept"));
    co_return true;
}

asio::awaitable<void> receive_location(context& ctx) {
    auto t = co_await recent_emergency(ctx);
    if (!t || !ctx.in.location) {
        ctx.say(ctx.text.get("location_no_context"));
        co_return;
    }
    const auto& l = *ctx.in.location;
    char coords[64];
    std::snprintf(coords, sizeof coords, "%.6f,%.6f", l.lat, l.lng);
    const std::string place =
        l.label.empty() ? std::string(coords) : l.label + "（" + coords + "）";
    state::ticket_change c;
    c.fields = {{"location", std::string(coords) + (l.label.empty() ? "" : " " + l.label)}};
    c.event = {ctx.now, cases::resident_id(ctx), "location", place};
    co_await ctx.stores.tickets.change(ctx.in.tenant, t->number, c);
    alert_responders(ctx, *t, "emergency_location_group", {{"place", place}});
    ctx.say(ctx.text.get("emergency_location_kept"));
}

asio::awaitable<bool> withdraw_recent_emergency(context& ctx) {
    // A case opened after the report: the correction is about the case.
    if (ctx.conv.ticket_at < ctx.conv.opened_at) co_return false;
    auto t = co_await recent_emergency(ctx);
    if (!t) co_return false;
    state::ticket_change c;
    c.from = {ticket_status::open, ticket_status::acknowledged, ticket_status::on_site};
    c.to = ticket_status::withdrawn;
    c.fields = {{"closed_at", std::to_string(ctx.now)}};
    c.event = {ctx.now, cases::resident_id(ctx), "withdrawn", ctx.in.text};
    const auto changed = co_await ctx.stores.tickets.change(ctx.in.tenant, t->number, c);
    if (changed.outcome != state::ticket_change_result::done) co_return false;
    auto timers = escalation_timer_ids(t->number);
    co_await ctx.stores.timers.cancel(ctx.in.tenant, std::move(timers));
    alert_responders(ctx, *t, "emergency_withdrawn_group");
    ctx.say(ctx.text.get("emergency_withdrawn_resident"));
    ctx.conv.ticket = 0;
    ctx.conv.ticket_at = 0;
    co_return true;
}

asio::awaitable<void> fire_emergency_unacked(context& ctx, const std::string& payload) {
    const auto bar = payload.find('|');
    const auto number = number_of(std::string_view(payload).substr(0, bar));
    const std::string level = bar == std::string::npos ? std::string() : payload.substr(bar + 1);
    auto t = co_await ctx.stores.tickets.get(ctx.in.tenant, number);
    // Acknowledged, on site, withdrawn or closed meanwhile: nobody needs chasing.
    if (!t || t->status != ticket_status::open || !ctx.data) co_return;
    const auto& org = ctx.data->org_;
    const auto r = responders_of(ctx, t->village, t->resident);
    std::int64_t minutes = 0;
    for (const auto& e : escalations_of(ctx))
        if (e.level == level) minutes = e.minutes;
    std::optional<chat_ref> group;
    std::string boss;
    if (level == "township" && r.township && !r.township->group.empty()) {
        group = chat_ref{chat_kind::group, r.township->group};
        boss = r.township->supervisor;
    } else if (level == "county" && !org.county_group.empty()) {
        group = chat_ref{chat_kind::group, org.county_group};
        boss = org.county_admin;
    }
    if (!group) co_return; // (an unplaced report went to the county at once)
    ctx.tell(*group,
             ctx.text.format("emergency_escalated", {{"number", std::to_string(number)},
                                                     {"minutes", std::to_string(minutes)},
                                                     {"who", place_and_who(ctx, *t, false)},
                                                     {"text", t->text}}),
             cases::group_mention(ctx, boss));
    state::ticket_change c;
    c.event = {ctx.now, "bot", "escalated", level};
    co_await ctx.stores.tickets.change(ctx.in.tenant, number, c);
}

} // namespace daiban::handlers
