// handlers layer: agents' commands on tickets. Emergencies: 收到 N (I take it), 到场 N (I am
// there), 解除 N [备注] (dealt with) — any of the tenant's agents may take one, whoever is nearest
// goes; each step is recorded with its time (the KPIs read acknowledgement and on-site times),
// disarms the escalations and is told to the resident and the village. Complaints and
// suggestions: 答复 N 文本, by the owner, the township's supervisor or the county, relayed to the
// resident on their channel. 转代办 N turns an emergency into the relief case that follows it.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"
#include "state/resident_store.hpp"
#include "state/timer_store.hpp"

#include <charconv>

namespace daiban::handlers {

namespace asio = boost::asio;
using state::ticket_status;
using namespace tickets;

namespace {

// The village's group (or the county's, for an unplaced report) hears each step; the agent who
// typed it elsewhere gets it too, as the confirmation.
void tell_group(context& ctx, const state::ticket_record& t, const std::string& body) {
    std::optional<chat_ref> group = cases::village_group(ctx, t.village);
    if (!group && ctx.data && !ctx.data->org_.county_group.empty())
        group = chat_ref{chat_kind::group, ctx.data->org_.county_group};
    if (group) ctx.tell(*group, body);
    if (!group || ctx.in.chat != *group) ctx.say(body);
}

std::string status_words(const context& ctx, ticket_status s) {
    return ctx.text.get(s == ticket_status::withdrawn ? "ticket_status_withdrawn"
                                                      : "ticket_status_closed");
}

// May this agent answer the ticket? Its owner, the supervisor of its township, or the county —
// never just any agent: a complaint may be about them.
bool may_answer(const context& ctx, const agent& a, const state::ticket_record& t) {
    if (a.id == t.owner || a.role == "county") return true;
    const auto* town = ctx.data ? ctx.data->org_.find_township(t.township) : nullptr;
    return town && town->supervisor == a.id;
}

// 答复 N 文本: the staff's answer, relayed to the resident on their channel.
asio::awaitable<void> answer(context& ctx, const agent& me, const state::ticket_record& t) {
    const auto n = std::to_string(t.number);
    if (!may_answer(ctx, me, t)) {
        ctx.say(ctx.text.format("ticket_not_yours", {{"number", n}}));
        co_return;
    }
    const auto text = ctx.understood.rest_as_typed;
    if (text.empty()) {
        ctx.say(ctx.text.format("ticket_answer_usage", {{"number", n}}));
        co_return;
    }
    state::ticket_change c;
    c.to = ticket_status::answered;
    c.fields = {{"answer", text}, {"answered_at", std::to_string(ctx.now)}};
    c.event = {ctx.now, me.id, "answered", text};
    co_await ctx.stores.tickets.change(ctx.in.tenant, t.number, c);
    const bool complaint = t.kind == state::ticket_kind::complaint;
    const std::string kind =
        ctx.text.get(complaint                                  ? "voice_complaint"
                     : t.kind == state::ticket_kind::suggestion ? "voice_suggestion"
                                                                : "voice_question");
    // Complaints and suggestions get a 回访: the resident rates the answer (voices.cpp reads it).
    const bool rated = t.kind != state::ticket_kind::consultation;
    if (rated)
        co_await ctx.stores.residents.set(ctx.in.tenant, t.resident, "awaiting_ticket_rating", n);
    tell_reporter(
        ctx, t,
        ctx.text.format("voice_answer_resident",
                        {{"kind", kind}, {"number", n}, {"answer", text}, {"agent", me.name}}) +
            (rated ? ctx.text.get("voice_rate_ask") : std::string()));
    ctx.say(ctx.text.format("voice_answer_done", {{"number", n}}) +
            (t.kind == state::ticket_kind::consultation
                 ? ctx.text.format("consult_learn_hint", {{"number", n}})
                 : std::string()));
}

// 入库 N: an answered consultation joins the FAQ, so the next resident asking the same is
// answered at once. Only what staff answered (never a resident's words alone), by those who may
// answer it.
asio::awaitable<void> learn(context& ctx, const agent& me, const state::ticket_record& t) {
    const auto n = std::to_string(t.number);
    if (t.kind != state::ticket_kind::consultation) {
        ctx.say(ctx.text.format("consult_learn_only_questions", {{"number", n}}));
        co_return;
    }
    if (!may_answer(ctx, me, t)) {
        ctx.say(ctx.text.format("ticket_not_yours", {{"number", n}}));
        co_return;
    }
    if (t.answer.empty()) {
        ctx.say(ctx.text.format("consult_learn_unanswered", {{"number", n}}));
        co_return;
    }
    const state::learned_answer taught{t.number, t.text, t.answer, me.id, ctx.now};
    co_await ctx.stores.faq.learn(ctx.in.tenant, taught);
    ctx.say(ctx.text.format("consult_learned", {{"number", n}, {"question", t.text}}));
}

// The catalogue item an emergency becomes (the first naming where its photos go), if any.
const service_item* relief_item(const tenant_data& d) {
    for (const auto& s : d.catalog_.services)
        if (!s.emergency_photos.empty()) return &s;
    return nullptr;
}

// 转代办 N: after the hail, the relief the resident is owed is a case like any other — opened on
// their behalf (they reported; nobody should make them ask again), owned by the agent who went
// out (else whoever typed it), with the report's photos filed under the item's photo material.
// Idempotent: the case is keyed on the ticket, so typing it twice (or a retry after a crash
// half-way) opens one case and files each photo once.
asio::awaitable<void> to_case(context& ctx, const agent& me, const state::ticket_record& t) {
    const auto n = std::to_string(t.number);
    const auto* item = relief_item(*ctx.data);
    const auto* v = ctx.data->org_.find_village(t.village);
    if (!item) {
        ctx.say(ctx.text.get("emergency_case_no_item"));
        co_return;
    }
    if (!v || t.resident.empty()) {
        ctx.say(ctx.text.format("emergency_case_no_village", {{"number", n}}));
        co_return;
    }
    const std::string owner = t.acknowledged_by.empty() ? me.id : t.acknowledged_by;
    auto req = cases::case_request(ctx, *item, *v, owner, "ticket", n);
    req.resident = t.resident;
    req.resident_name = t.resident_name;
    req.channel = t.channel;
    req.chat = t.chat;
    const auto opened = co_await ctx.stores.cases.open(req);
    const auto num = std::to_string(opened.number);
    if (!opened.created && t.case_number == opened.number) {
        ctx.say(ctx.text.format("emergency_case_exists", {{"number", n}, {"case", num}}));
        co_return;
    }
    const std::string no_resume; // a new case is not waiting on 补正: no due date to move
    for (const auto& file : t.files)
        co_await ctx.stores.cases.attach(ctx.in.tenant, opened.number, item->emergency_photos, file,
                                         me.id, ctx.now, no_resume, 0);
    state::ticket_change c;
    c.fields = {{"case_number", num}};
    if (state::is_open(t.status)) {
        c.to = ticket_status::closed;
        c.fields.emplace_back("closed_at", std::to_string(ctx.now));
    }
    c.event = {ctx.now, me.id, "to_case", "#" + num};
    co_await ctx.stores.tickets.change(ctx.in.tenant, t.number, c);
    auto timers = escalation_timer_ids(t.number);
    co_await ctx.stores.timers.cancel(ctx.in.tenant, std::move(timers));

    const auto record = co_await ctx.stores.cases.get(ctx.in.tenant, opened.number);
    std::string still;
    if (record) still = cases::join_names(cases::needed(*record));
    const auto owner_name = cases::agent_name(ctx.data, owner);
    const auto photos = std::to_string(t.files.size());
    tell_reporter(ctx, t,
                  ctx.text.format("emergency_case_resident",
                                  {{"item", item->name},
                                   {"case", num},
                                   {"code", cases::case_code(req.code_prefix, opened.number)},
                                   {"owner", owner_name},
                                   {"due", cases::month_day(req.due)},
                                   {"photos", photos}}) +
                      (still.empty() ? std::string()
                                     : ctx.text.format("emergency_case_still", {{"list", still}})));
    cases::post_case_card(ctx, opened.number, item->name, *v, req.due, owner);
    const auto* photo_material = record ? record->material(item->emergency_photos) : nullptr;
    ctx.say(ctx.text.format("emergency_case_done",
                            {{"number", n},
                             {"case", num},
                             {"item", item->name},
                             {"photos", photos},
                             {"material", photo_material ? photo_material->name : ""}}));
}

} // namespace

asio::awaitable<void> handle_ticket_command(context& ctx) {
    const agent* me = ctx.sender_agent();
    if (!me) {
        ctx.say(ctx.text.get("agent_only"));
        co_return;
    }
    std::int64_t number = 0;
    const std::string ref = ctx.understood.case_ref.value_or("");
    std::from_chars(ref.data(), ref.data() + ref.size(), number);
    auto t = co_await ctx.stores.tickets.get(ctx.in.tenant, number);
    const auto what = ctx.understood.id;
    // 答复 and 入库 are for what residents said (complaints, suggestions, questions);
    // 收到/到场/解除 for emergencies.
    const bool answering = what == intent_id::agent_answer || what == intent_id::agent_learn;
    if (!t || answering == (t->kind == state::ticket_kind::emergency)) {
        ctx.say(ctx.text.format("ticket_not_found", {{"number", ref}}));
        co_return;
    }
    const auto n = std::to_string(number);
    if (what == intent_id::agent_to_case) {
        co_await to_case(ctx, *me, *t);
        co_return;
    }
    if (what == intent_id::agent_learn) {
        co_await learn(ctx, *me, *t);
        co_return;
    }
    if (answering) {
        co_await answer(ctx, *me, *t);
        co_return;
    }
    if (!state::is_open(t->status)) {
        ctx.say(ctx.text.format("ticket_closed",
                                {{"number", n}, {"status", status_words(ctx, t->status)}}));
        co_return;
    }
    const auto now = std::to_string(ctx.now);
    state::ticket_change c;
    c.from = {ticket_status::open, ticket_status::acknowledged, ticket_status::on_site};
    // Whoever acts first on an unacknowledged report has acknowledged it.
    if (t->acknowledged_at == 0)
        c.fields = {{"acknowledged_at", now}, {"acknowledged_by", me->id}, {"owner", me->id}};
    if (what == intent_id::agent_ack) {
        if (t->acknowledged_at != 0) {
            ctx.say(ctx.text.format(
                "emergency_ack_already",
                {{"number", n}, {"agent", cases::agent_name(ctx.data, t->acknowledged_by)}}));
            co_return;
        }
        c.from = {ticket_status::open};
        c.to = ticket_status::acknowledged;
        c.event = {ctx.now, me->id, "acknowledged", ""};
    } else if (what == intent_id::agent_on_site) {
        c.to = ticket_status::on_site;
        c.fields.emplace_back("on_site_at", now);
        c.event = {ctx.now, me->id, "on_site", ""};
    } else { // agent_stand_down
        c.to = ticket_status::closed;
        c.fields.emplace_back("closed_at", now);
        c.fields.emplace_back("answer", ctx.understood.rest_as_typed);
        c.event = {ctx.now, me->id, "closed", ctx.understood.rest_as_typed};
    }
    const auto changed = co_await ctx.stores.tickets.change(ctx.in.tenant, number, c);
    if (changed.outcome != state::ticket_change_result::done) {
        // Someone else was quicker (two agents typed 收到 at once): say who.
        auto now_t = co_await ctx.stores.tickets.get(ctx.in.tenant, number);
        const std::string by = now_t ? now_t->acknowledged_by : std::string();
        ctx.say(ctx.text.format("emergency_ack_already",
                                {{"number", n}, {"agent", cases::agent_name(ctx.data, by)}}));
        co_return;
    }
    auto timers = escalation_timer_ids(number);
    co_await ctx.stores.timers.cancel(ctx.in.tenant, std::move(timers));
    if (what == intent_id::agent_ack) {
        tell_reporter(
            ctx, *t,
            ctx.text.format("emergency_ack_resident", {{"agent", me->name}, {"phone", me->phone}}));
        tell_group(ctx, *t,
                   ctx.text.format("emergency_ack_group", {{"number", n}, {"agent", me->name}}));
    } else if (what == intent_id::agent_on_site) {
        tell_reporter(ctx, *t,
                      ctx.text.format("emergency_on_site_resident", {{"agent", me->name}}));
        tell_group(
            ctx, *t,
            ctx.text.format("emergency_on_site_group", {{"number", n}, {"agent", me->name}}));
    } else {
        const auto note = ctx.understood.rest_as_typed;
        tell_reporter(ctx, *t,
                      ctx.text.format("emergency_closed_resident",
                                      {{"number", n}, {"note", note.empty() ? "" : note + "。"}}));
        tell_group(ctx, *t,
                   ctx.text.format("emergency_closed_group", {{"number", n}, {"note", note}}));
    }
}

} // namespace daiban::handlers
