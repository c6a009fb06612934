// handlers layer: a resident's cases (代办件): opening one (open_case), asking how it goes
// (query_progress), withdrawing it (cancel_case), finding their agent (contact_agent) and rating
// the service once it is done (rate). The case itself lives in state/case_store.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"
#include "state/resident_store.hpp"

namespace daiban::handlers {

namespace {

using state::case_status;

// No tenant data loaded: nothing to serve the turn with. (A store failure throws instead:
// state::store_unavailable, turned into the same words by the dispatcher.)
void failed(context& ctx) {
    ctx.say(ctx.text.get("handler_failed"));
}

const service_item* item_for_case(const context& ctx) {
    const auto& cat = ctx.data->catalog_;
    if (ctx.understood.service)
        if (const auto* s = cat.find_service(*ctx.understood.service)) return s;
    if (!ctx.asked) return nullptr;
    const auto& topic = ctx.asked->topic;
    if (topic.intent == intent_id::open_case && !topic.subject.empty())
        return cat.find_service(topic.subject);
    if (ctx.asked->kind == question_kind::choice && ctx.understood.choice &&
        *ctx.understood.choice >= 1 &&
        *ctx.understood.choice <= static_cast<int>(ctx.asked->options.size()))
        return cat.find_service(
            ctx.asked->options[static_cast<std::size_t>(*ctx.understood.choice - 1)]);
    return nullptr;
}

std::string progress_line(const context& ctx, const state::case_record& c) {
    std::string missing;
    if (c.status == case_status::accepted || c.status == case_status::collecting ||
        c.status == case_status::returned)
        if (auto need = cases::needed(c); !need.empty())
            missing = ctx.text.format("case_progress_missing", {{"list", cases::join_names(need)}});
    return ctx.text.format("case_progress_one", {{"number", std::to_string(c.number)},
                                                 {"item", c.service_name},
                                                 {"status", cases::status_text(ctx.text, c.status)},
                                                 {"owner", cases::agent_name(ctx.data, c.owner)},
                                                 {"due", cases::month_day(c.due)},
                                                 {"missing", missing}});
}

// The resident's cases, newest first.
boost::asio::awaitable<std::vector<state::case_record>> my_cases(context& ctx) {
    std::vector<state::case_record> out;
    auto& store = ctx.stores.cases;
    auto numbers = co_await store.by_resident(ctx.in.tenant, cases::resident_id(ctx));
    for (auto it = numbers.rbegin(); it != numbers.rend(); ++it) {
        auto c = co_await store.get(ctx.in.tenant, *it);
        if (c) out.push_back(std::move(*c));
    }
    co_return out;
}

// How sure the NLU must be that a message asks for a case before one opens without a question
// back. Below it the bot confirms in one line ("您是要请代理员代办…吗？").
constexpr double clear_request_confidence = 0.6;

void confirm_case(context& ctx, const service_item& item) {
    ctx.say(
        ctx.text.format("case_confirm", {{"item", item.name}, {"short", cases::short_name(item)}}));
    ctx.conv.pending =
        pending_question{question_kind::confirm, {intent_id::open_case, item.id}, {}};
    ctx.conv.service = item.id;
}

boost::asio::awaitable<void> rate_case(context& ctx, std::optional<int> score) {
    auto& residents = ctx.stores.residents;
    auto& store = ctx.stores.cases;
    const auto rid = cases::resident_id(ctx);
    const auto prof = co_await residents.get(ctx.in.tenant, rid);
    std::optional<state::case_record> target;
    if (prof.awaiting_rating > 0) {
        auto c = co_await store.get(ctx.in.tenant, prof.awaiting_rating);
        if (c && c->status == case_status::done) target = std::move(*c);
    }
    if (!target) {
        auto mine = co_await my_cases(ctx);
        for (auto& c : mine)
            if (c.status == case_status::done) {
                target = std::move(c);
                break;
            }
    }
    if (!target) {
        ctx.say(ctx.text.get("rate_nothing"));
        co_return;
    }
    if (!score || *score < 1 || *score > 5) {
        ctx.say(ctx.text.format("rate_ask_again", {{"number", std::to_string(target->number)},
                                                   {"item", target->service_name}}));
        ctx.conv.pending = pending_question{question_kind::rating, {intent_id::rate, {}}, {}};
        co_return;
    }
    const bool bad = *score <= 2;
    std::vector<std::pair<std::string, std::string>> fields{{"rating", std::to_string(*score)},
                                                            {"follow_up", bad ? "1" : "0"}};
    co_await store.transition(ctx.in.tenant, target->number, case_status::rated, rid,
                              cases::rating_level(ctx.text, *score), ctx.now, std::move(fields));
    // Best effort: the rating is in; a stale marker only makes a later rating word look again
    // for a done case (rate_if_awaited), so a failure here must not fail the turn.
    try {
        co_await residents.set(ctx.in.tenant, rid, "awaiting_rating", "0");
    } catch (const state::store_unavailable&) {
    }
    const auto level = cases::rating_level(ctx.text, *score);
    if (!bad) {
        ctx.say(ctx.text.format("rate_thanks", {{"level", level}}));
        co_return;
    }
    ctx.say(ctx.text.format("rate_sorry", {{"level", level}}));
    // A bad rating goes to the township supervisor's group for a follow-up (回访).
    if (const auto* v = ctx.data->org_.find_village(target->village))
        if (const auto* t = ctx.data->org_.find_township(v->township); t && !t->group.empty())
            ctx.tell({chat_kind::group, t->group},
                     ctx.text.format("rate_followup",
                                     {{"number", std::to_string(target->number)},
                                      {"item", target->service_name},
                                      {"village", v->name},
                                      {"level", level},
                                      {"owner", cases::agent_name(ctx.data, target->owner)}}),
                     cases::group_mention(ctx, t->supervisor));
}

} // namespace

boost::asio::awaitable<void> handle_open_case(context& ctx) {
    if (!ctx.data) {
        failed(ctx);
        co_return;
    }
    // The answer to "需要我请代理员帮您代办…吗？": "不用" opens nothing.
    const bool answers_bot = ctx.asked && ctx.asked->about(intent_id::open_case);
    if (answers_bot && ctx.asked->kind == question_kind::confirm && ctx.understood.confirm &&
        !*ctx.understood.confirm) {
        ctx.say(ctx.text.get("case_declined"));
        co_return;
    }
    const auto* item = item_for_case(ctx);
    // "幫我辦一下" after talking about an item: that item, but asked first — it is a guess.
    if (!item && !ctx.conv.service.empty())
        if (const auto* s = ctx.data->catalog_.find_service(ctx.conv.service)) {
            confirm_case(ctx, *s);
            co_return;
        }
    // Never on a guess: a case opens on a clear request naming the item, or on the answer to
    // the bot's own question; an unsure reading is confirmed in one line first.
    if (item && !answers_bot &&
        !(ctx.understood.service && ctx.understood.confidence >= clear_request_confidence)) {
        confirm_case(ctx, *item);
        co_return;
    }
    if (!item) {
        auto options = cases::common_services(*ctx.data);
        ctx.say(ctx.text.format("case_which_item",
                                {{"choices", cases::service_choices(*ctx.data, options)}}));
        ctx.conv.pending =
            pending_question{question_kind::choice, {intent_id::open_case, {}}, std::move(options)};
        co_return;
    }
    auto& residents = ctx.stores.residents;
    const auto rid = cases::resident_id(ctx);
    const auto prof = co_await residents.get(ctx.in.tenant, rid);
    const village* v = cases::village_answered(ctx);
    if (!v && !ctx.conv.village.empty()) v = ctx.data->org_.find_village(ctx.conv.village);
    if (!v && !prof.village.empty()) v = ctx.data->org_.find_village(prof.village);
    if (!v)
        if (const auto* h = cases::household_of(*ctx.data, rid))
            v = ctx.data->org_.find_village(h->village);
    if (!v) {
        cases::ask_village(ctx, {intent_id::open_case, item->id});
        co_return;
    }
    state::resident_profile reach;
    reach.channel = ctx.in.channel;
    reach.chat = ctx.in.from_id;
    reach.name = ctx.in.from_name;
    co_await residents.touch(ctx.in.tenant, rid, reach);
    if (prof.village != v->id) {
        co_await residents.set(ctx.in.tenant, rid, "village", v->id);
        ctx.conv.village = v->id;
    }

    // 首问负责: the resident's contact agent (their household's cadre, else the village's first
    // agent) owns the case until someone takes it (接单).
    const auto* contact = cases::contact_agent_of(*ctx.data, *v, rid);
    std::string owner = contact ? contact->id : std::string();
    if (owner.empty())
        if (const auto* t = ctx.data->org_.find_township(v->township)) owner = t->supervisor;
    auto req = cases::case_request(ctx, *item, *v, owner, ctx.in.chat.id, ctx.in.id);
    req.resident = rid;
    req.resident_name = ctx.in.from_name;
    req.channel = ctx.in.channel;
    req.chat = ctx.in.from_id;
    auto& store = ctx.stores.cases;
    const auto opened = co_await store.open(req);
    const auto n = std::to_string(opened.number);
    if (!opened.created) {
        ctx.say(ctx.text.format("case_opened_before", {{"number", n}}));
        co_return;
    }
    // Remembered for "搞错了" (handlers/corrections.cpp) and "那要带什么".
    ctx.conv.service = item->id;
    ctx.conv.opened_case = opened.number;
    ctx.conv.opened_at = ctx.now;
    const auto owner_name = cases::agent_name(ctx.data, owner);
    const std::string code = cases::case_code(req.code_prefix, opened.number);
    const std::string body =
        item->materials.empty()
            ? ctx.text.format("case_opened_no_materials", {{"item", item->name},
                                                           {"number", n},
                                                           {"code", code},
                                                           {"owner", owner_name},
                                                           {"due", cases::month_day(req.due)}})
            : ctx.text.format("case_opened", {{"item", item->name},
                                              {"number", n},
                                              {"code", code},
                                              {"owner", owner_name},
                                              {"due", cases::month_day(req.due)},
                                              {"list", cases::checklist(*item)},
                                              {"first", item->materials.front().name}});
    if (ctx.in.chat.kind == chat_kind::group) {
        ctx.say_privately(body);
        ctx.say(ctx.text.format("case_opened_group", {{"number", n}, {"owner", owner_name}}));
    } else {
        ctx.say(body);
        if (!item->materials.empty())
            ctx.conv.pending = pending_question{question_kind::material,
                                                {intent_id::submit_material, n},
                                                {item->materials.front().id}};
    }
    cases::post_case_card(ctx, opened.number, item->name, *v, req.due, owner);
    // Photos sent before there was a case to take them are matched now, one by one.
    if (ctx.in.chat.kind == chat_kind::private_chat && !ctx.conv.held_files.empty()) {
        try {
            co_await ask_about_held_photos(ctx, opened.number);
        } catch (const state::store_unavailable&) {
            // The case is open and the resident told so; the photos stay held and are asked
            // about with the next case, not turned into an apology for the opening.
        }
    }
}

boost::asio::awaitable<void> handle_query_progress(context& ctx) {
    if (!ctx.data) {
        failed(ctx);
        co_return;
    }
    const auto rid = cases::resident_id(ctx);
    std::string out;
    if (ctx.understood.case_ref) {
        auto& store = ctx.stores.cases;
        const auto n = co_await store.resolve(ctx.in.tenant, *ctx.understood.case_ref);
        std::optional<state::case_record> c;
        if (n) c = co_await store.get(ctx.in.tenant, *n);
        if (!c) {
            ctx.say(ctx.text.format("case_not_found", {{"number", *ctx.understood.case_ref}}));
            co_return;
        }
        if (c->resident != rid && !ctx.sender_agent()) {
            ctx.say(ctx.text.format("case_not_yours", {{"number", *ctx.understood.case_ref}}));
            co_return;
        }
        ctx.say_privately(progress_line(ctx, *c));
        co_return;
    }
    auto mine = co_await my_cases(ctx);
    for (const auto& c : mine)
        if (state::is_open(c.status)) out += (out.empty() ? "" : "\n\n") + progress_line(ctx, c);
    if (out.empty() && !mine.empty()) out = progress_line(ctx, mine.front());
    if (out.empty()) out = ctx.text.get("case_none");
    // Case contents are personal: in a group they go to the private chat.
    if (ctx.in.chat.kind == chat_kind::group)
        ctx.say_privately(out);
    else
        ctx.say(out);
}

boost::asio::awaitable<void> handle_cancel_case(context& ctx) {
    if (!ctx.data) {
        failed(ctx);
        co_return;
    }
    auto& store = ctx.stores.cases;
    const auto rid = cases::resident_id(ctx);
    // The answer to "确定要撤销 #12 吗？"
    if (ctx.asked && ctx.asked->asks(question_kind::confirm, intent_id::cancel_case)) {
        const auto n = std::stoll(ctx.asked->topic.subject);
        const auto c = co_await store.get(ctx.in.tenant, n);
        if (!c) { // (the case asked about is gone: cases are never deleted)
            failed(ctx);
            co_return;
        }
        const auto& rec = *c;
        if (!ctx.understood.confirm || !*ctx.understood.confirm) {
            ctx.say(ctx.text.format("case_cancel_kept", {{"number", std::to_string(n)}}));
            co_return;
        }
        const auto moved = co_await store.transition(ctx.in.tenant, n, case_status::cancelled, rid,
                                                     "居民撤销", ctx.now);
        if (moved.outcome != state::change_outcome::done) {
            ctx.say(ctx.text.format("case_cancel_not_allowed",
                                    {{"number", std::to_string(n)},
                                     {"status", cases::status_text(ctx.text, moved.previous)}}));
            co_return;
        }
        ctx.say(ctx.text.format("case_cancelled",
                                {{"number", std::to_string(n)}, {"item", rec.service_name}}));
        if (auto g = cases::village_group(ctx, rec.village))
            ctx.tell(*g,
                     ctx.text.format("case_cancelled_owner",
                                     {{"number", std::to_string(n)}, {"item", rec.service_name}}),
                     cases::group_mention(ctx, rec.owner));
        co_return;
    }
    std::optional<state::case_record> target;
    if (ctx.understood.case_ref) {
        const auto n = co_await store.resolve(ctx.in.tenant, *ctx.understood.case_ref);
        if (n) target = co_await store.get(ctx.in.tenant, *n);
        if (!target || target->resident != rid) {
            ctx.say(ctx.text.format("case_not_found", {{"number", *ctx.understood.case_ref}}));
            co_return;
        }
    } else {
        std::vector<state::case_record> open;
        auto mine = co_await my_cases(ctx);
        for (auto& c : mine)
            if (state::is_open(c.status)) open.push_back(std::move(c));
        if (open.size() != 1) {
            ctx.say(ctx.text.get(open.empty() ? "case_none" : "case_cancel_which"));
            co_return;
        }
        target = std::move(open.front());
    }
    if (!state::is_open(target->status)) {
        ctx.say(ctx.text.format("case_cancel_not_allowed",
                                {{"number", std::to_string(target->number)},
                                 {"status", cases::status_text(ctx.text, target->status)}}));
        co_return;
    }
    ctx.say(ctx.text.format("case_cancel_confirm", {{"number", std::to_string(target->number)},
                                                    {"item", target->service_name}}));
    ctx.conv.pending = pending_question{
        question_kind::confirm, {intent_id::cancel_case, std::to_string(target->number)}, {}};
}

boost::asio::awaitable<void> handle_contact_agent(context& ctx) {
    if (!ctx.data) {
        failed(ctx);
        co_return;
    }
    auto& residents = ctx.stores.residents;
    const auto rid = cases::resident_id(ctx);
    const auto prof = co_await residents.get(ctx.in.tenant, rid);
    const village* v = cases::village_answered(ctx);
    if (v) {
        // Best effort: the answer needs only the village named just now; remembering it is for
        // later turns, and failing to must not cost this one its phone number.
        try {
            co_await residents.set(ctx.in.tenant, rid, "village", v->id);
        } catch (const state::store_unavailable&) {
        }
        ctx.conv.village = v->id;
    } else if (!prof.village.empty()) {
        v = ctx.data->org_.find_village(prof.village);
    } else if (const auto* h = cases::household_of(*ctx.data, rid)) {
        v = ctx.data->org_.find_village(h->village);
    }
    // The owner of their latest open case first; otherwise their contact agent.
    const agent* a = nullptr;
    std::string extra;
    auto mine = co_await my_cases(ctx);
    for (const auto& c : mine)
        if (state::is_open(c.status)) {
            a = ctx.data->org_.find_agent(c.owner);
            extra = "（负责 #" + std::to_string(c.number) + "「" + c.service_name + "」）";
            break;
        }
    if (!a && v) a = cases::contact_agent_of(*ctx.data, *v, cases::resident_id(ctx));
    if (!a) {
        cases::ask_village(ctx, {intent_id::contact_agent, {}});
        co_return;
    }
    const auto body = ctx.text.format("contact_agent",
                                      {{"name", a->name}, {"phone", a->phone}, {"extra", extra}});
    // A phone number is a personal detail: never in a group.
    ctx.say_privately(body);
    if (ctx.in.chat.kind == chat_kind::group) ctx.say(ctx.text.get("contact_private_only"));
}

boost::asio::awaitable<void> handle_rate(context& ctx) {
    if (!ctx.data) {
        failed(ctx);
        co_return;
    }
    // A case awaiting its rating first; else an answered complaint or suggestion (回访).
    const auto prof = co_await ctx.stores.residents.get(ctx.in.tenant, cases::resident_id(ctx));
    if (prof.awaiting_rating == 0 && prof.awaiting_ticket_rating > 0) {
        co_await rate_answered_ticket(ctx, prof.awaiting_ticket_rating, ctx.understood.score);
        co_return;
    }
    co_await rate_case(ctx, ctx.understood.score);
}

boost::asio::awaitable<bool> rate_if_awaited(context& ctx) {
    if (!ctx.data || !model::is_words(ctx.in.kind)) co_return false;
    // The NLU reads rating words (one list: bot/nlu/rules.cpp) even when it is unsure what the
    // message is for.
    const auto score = ctx.understood.score;
    if (!score) co_return false;
    auto& residents = ctx.stores.residents;
    state::resident_profile prof;
    try {
        prof = co_await residents.get(ctx.in.tenant, cases::resident_id(ctx));
    } catch (const state::store_unavailable&) {
        // Kept as before: unsure whether a rating is awaited, the message is not read as one and
        // the turn goes on to its own handler.
        co_return false;
    }
    if (prof.awaiting_rating > 0) {
        co_await rate_case(ctx, score);
        co_return true;
    }
    if (prof.awaiting_ticket_rating > 0) {
        co_await rate_answered_ticket(ctx, prof.awaiting_ticket_rating, score);
        co_return true;
    }
    co_return false;
}

} // namespace daiban::handlers
