// handlers layer: materials (收件). A photo or file a resident sends while a case waits for
// documents is checked (size, real type by its first bytes), stored content-addressed
// (state/media_store) and filed under the material the bot asked for — or the bot asks which
// one it is. The reply says what is still missing; when everything is in, the owner hears of it
// and the case is ready. A photo that came by reference (WeChat/WeCom MediaId, a bridge's url) is
// downloaded first (ctx.fetch_media).
#include "handlers/case_support.hpp"
#include "handlers/received_files.hpp"
#include "handlers/registry.hpp"
#include "state/media_store.hpp"

#include <algorithm>

namespace daiban::handlers {

namespace {

using state::case_status;

// No tenant data loaded. (A store failure throws instead: state::store_unavailable, turned into
// the same words by the dispatcher.)
void failed(context& ctx) {
    ctx.say(ctx.text.get("handler_failed"));
}

bool takes_documents(case_status s) {
    return s == case_status::accepted || s == case_status::collecting ||
           s == case_status::returned || s == case_status::ready || s == case_status::in_progress ||
           s == case_status::transferred;
}

// The resident's newest case that still needs documents (or, failing that, any open one that
// takes them).
boost::asio::awaitable<std::optional<state::case_record>> collecting_case(context& ctx) {
    auto& store = ctx.stores.cases;
    const auto numbers = co_await store.by_resident(ctx.in.tenant, cases::resident_id(ctx));
    std::optional<state::case_record> fallback;
    for (auto it = numbers.rbegin(); it != numbers.rend(); ++it) {
        auto c = co_await store.get(ctx.in.tenant, *it);
        if (!c || !takes_documents(c->status)) continue;
        if (!cases::needed(*c).empty()) co_return std::move(*c);
        if (!fallback) fallback = std::move(*c);
    }
    co_return fallback;
}

bool mentions_handover(std::string_view text) {
    for (std::string_view w : {"交", "给", "送", "带"})
        if (text.find(w) != std::string_view::npos) return true;
    return false;
}

// The case a photo question is about: its subject is "<case number>[:<stored file>]".
std::optional<std::int64_t> case_in_topic(const pending_question* asked) {
    if (!asked || !asked->about(intent_id::submit_material)) return std::nullopt;
    const auto& rest = asked->topic.subject;
    try {
        return std::stoll(rest.substr(0, rest.find(':')));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// Photos not yet matched to an item wait in the question's subject, oldest first:
// "<case number>:<file>,<file>,…". Each is asked about in turn, so none is dropped when several
// arrive before the resident answers.
std::vector<std::string> files_in_topic(const pending_question* asked) {
    std::vector<std::string> files;
    if (!asked || !asked->about(intent_id::submit_material)) return files;
    const auto& subject = asked->topic.subject;
    const auto colon = subject.find(':');
    if (colon == std::string::npos) return files;
    std::size_t b = colon + 1;
    while (b < subject.size()) {
        auto e = subject.find(',', b);
        if (e == std::string::npos) e = subject.size();
        if (e - b == 64) files.push_back(subject.substr(b, e - b)); // sha256 ids only
        b = e + 1;
    }
    return files;
}

// Asks which item the first of `files` is; `text_key` says how many wait ("material_which",
// "material_queued", "material_next_photo").
void ask_which(context& ctx,
               const state::case_record& c,
               const std::vector<std::string>& files,
               const char* text_key) {
    auto need = cases::needed(c);
    if (need.empty())
        for (const auto& m : c.materials)
            need.push_back(&m);
    std::string choices;
    std::vector<std::string> ids;
    for (const auto* m : need) {
        ids.push_back(m->id);
        choices += (choices.empty() ? "" : "\n") + std::to_string(ids.size()) + ". " + m->name;
    }
    std::string subject = std::to_string(c.number) + ":";
    for (std::size_t i = 0; i < files.size(); ++i)
        subject += (i ? "," : "") + files[i];
    ctx.say(
        ctx.text.format(text_key, {{"choices", choices}, {"count", std::to_string(files.size())}}));
    ctx.conv.pending = pending_question{
        question_kind::choice, {intent_id::submit_material, std::move(subject)}, std::move(ids)};
}

// After 补正 the photo that comes next is the retake of what was rejected — whatever the bot had
// asked for before the agent's review.
std::string rejected_material(const state::case_record& c) {
    std::string only;
    for (const auto& m : c.materials)
        if (m.state == "rejected") {
            if (!only.empty()) return {}; // several: ask which
            only = m.id;
        }
    return only;
}

boost::asio::awaitable<void> attach_and_reply(context& ctx,
                                              const state::case_record& c,
                                              const std::string& material,
                                              const std::string& file) {
    auto& store = ctx.stores.cases;
    // A case waiting on the resident (补正) resumes now: its deadline moves by the working
    // days it was paused.
    std::string due = c.due;
    std::int64_t due_days = c.due_days;
    if (c.status == case_status::returned && c.paused_on > 0) {
        const auto& cal = cases::calendar_of(ctx);
        const int paused =
            cal.working_days_between(civil_date::from_days(c.paused_on), cases::today(ctx));
        const auto moved = cal.add_working_days(civil_date::from_days(c.due_days), paused);
        due = moved.iso();
        due_days = moved.to_days();
    }
    const auto r = co_await store.attach(ctx.in.tenant, c.number, material, file,
                                         cases::resident_id(ctx), ctx.now, due, due_days);
    if (r.outcome != state::change_outcome::done) {
        ctx.say(ctx.text.get("material_no_case"));
        co_return;
    }
    const auto after = co_await store.get(ctx.in.tenant, c.number);
    if (!after) { // (just filed under it: a case does not vanish)
        failed(ctx);
        co_return;
    }
    const auto& now_case = *after;
    const auto* m = now_case.material(material);
    const auto need = cases::needed(now_case);
    std::string rest;
    if (need.empty()) {
        rest = ctx.text.get("material_rest_done");
    } else {
        rest = ctx.text.format("material_rest_missing",
                               {{"list", cases::join_names(need)}, {"next", need.front()->name}});
        ctx.conv.pending = pending_question{question_kind::material,
                                            {intent_id::submit_material, std::to_string(c.number)},
                                            {need.front()->id}};
    }
    ctx.say(ctx.text.format("material_received", {{"name", m ? m->name : material},
                                                  {"received", std::to_string(r.received)},
                                                  {"total", std::to_string(r.total)},
                                                  {"rest", rest}}));
    if (r.status == case_status::ready && r.previous != case_status::ready)
        if (auto g = cases::village_group(ctx, now_case.village))
            ctx.tell(
                *g,
                ctx.text.format("material_complete_owner", {{"number", std::to_string(c.number)},
                                                            {"item", now_case.service_name},
                                                            {"total", std::to_string(r.total)}}),
                cases::group_mention(ctx, now_case.owner));
}

} // namespace

boost::asio::awaitable<void> receive_material(context& ctx) {
    if (!ctx.data || !ctx.in.media) {
        co_await handle_fallback(ctx);
        co_return;
    }
    // Kept whatever happens next (stored before the cases are read, so a failure reading them
    // still keeps it): a photo received is never dropped.
    const auto kept = co_await keep_received_file(ctx);
    if (!kept) co_return; // the sender was told why
    const std::string& file = *kept;

    auto& store = ctx.stores.cases;
    std::optional<state::case_record> c;
    std::string material;
    const auto waiting = files_in_topic(ctx.asked); // photos already asked about
    if (auto n = case_in_topic(ctx.asked)) {
        auto got = co_await store.get(ctx.in.tenant, *n);
        if (got && takes_documents(got->status) && got->resident == cases::resident_id(ctx)) {
            c = std::move(*got);
            if (ctx.asked->kind == question_kind::material && !ctx.asked->options.empty())
                material = ctx.asked->options.front();
        }
    }
    if (!c) c = co_await collecting_case(ctx);
    if (!c) {
        // Kept for the case the resident is about to open (ask_about_held_photos).
        auto& held = ctx.conv.held_files;
        if (std::find(held.begin(), held.end(), file) == held.end()) held.push_back(file);
        if (held.size() == 1)
            ctx.say(ctx.text.get("material_held"));
        else
            ctx.say(
                ctx.text.format("material_held_more", {{"count", std::to_string(held.size())}}));
        co_return;
    }
    if (!waiting.empty() && c->number == *case_in_topic(ctx.asked)) {
        auto queue = waiting;
        queue.push_back(file);
        ask_which(ctx, *c, queue, "material_queued");
        co_return;
    }
    if (c->status == case_status::returned)
        if (auto retake = rejected_material(*c); !retake.empty()) material = retake;
    if (material.empty())
        if (auto need = cases::needed(*c); need.size() == 1) material = need.front()->id;
    if (material.empty()) {
        ask_which(ctx, *c, {file}, "material_which");
        co_return;
    }
    co_await attach_and_reply(ctx, *c, material, file);
}

boost::asio::awaitable<void> ask_about_held_photos(context& ctx, std::int64_t number) {
    if (ctx.conv.held_files.empty()) co_return;
    const auto c = co_await ctx.stores.cases.get(ctx.in.tenant, number);
    if (!c || c->materials.empty()) co_return; // kept: a later case with materials asks
    auto held = std::move(ctx.conv.held_files);
    ctx.conv.held_files.clear();
    ask_which(ctx, *c, held, "material_held_which");
}

boost::asio::awaitable<void> handle_submit_material(context& ctx) {
    if (!ctx.data) {
        failed(ctx);
        co_return;
    }
    if (ctx.in.media) {
        co_await receive_material(ctx);
        co_return;
    }
    auto& store = ctx.stores.cases;
    // The answer to "这是哪一项？": the topic carries the case and the stored file.
    if (ctx.asked && ctx.asked->kind == question_kind::choice && ctx.understood.choice)
        if (auto n = case_in_topic(ctx.asked)) {
            const auto waiting = files_in_topic(ctx.asked);
            const int k = *ctx.understood.choice;
            const auto got = co_await store.get(ctx.in.tenant, *n);
            if (got && k >= 1 && k <= static_cast<int>(ctx.asked->options.size()) &&
                !waiting.empty()) {
                co_await attach_and_reply(
                    ctx, *got, ctx.asked->options[static_cast<std::size_t>(k - 1)], waiting[0]);
                if (waiting.size() > 1) { // the next photo in line is asked about at once
                    std::optional<state::case_record> after;
                    try {
                        after = co_await store.get(ctx.in.tenant, *n);
                    } catch (const state::store_unavailable&) {
                        // Kept as before: the photo is filed and the resident told so; the next
                        // one is asked about when they write again, not lost in a failed turn.
                    }
                    if (after)
                        ask_which(ctx, *after, {waiting.begin() + 1, waiting.end()},
                                  "material_next_photo");
                }
                co_return;
            }
        }
    // While the bot waits for a photo the NLU reads unclear sentences as answers to it; only a
    // sentence about handing documents over is one. Anything else: say we did not follow, and
    // keep waiting for the photo.
    // "发票重新拍了" without the photo: ask for it here, and keep waiting for it.
    if (!mentions_handover(ctx.in.text)) {
        const bool rated = co_await rate_if_awaited(ctx); // "非常满意" after 办结
        if (rated) co_return;
        ctx.say(ctx.text.get("material_say_send"));
        if (!ctx.conv.pending && ctx.asked) ctx.conv.pending = *ctx.asked;
        co_return;
    }
    // "材料交给代理员了": documents handed over in person; the owner is asked to confirm.
    std::optional<state::case_record> c = co_await collecting_case(ctx);
    if (!c) {
        ctx.say(ctx.text.get("case_none"));
        co_return;
    }
    const state::case_event handed{ctx.now, cases::resident_id(ctx), "handed_over", ctx.in.text};
    try {
        co_await store.record(ctx.in.tenant, c->number, handed);
    } catch (const state::store_unavailable&) {
        // Best effort, as before: the history line is a note; the owner hears of it below.
    }
    const auto n = std::to_string(c->number);
    ctx.say(ctx.text.format("material_handed",
                            {{"owner", cases::agent_name(ctx.data, c->owner)}, {"number", n}}));
    if (auto g = cases::village_group(ctx, c->village))
        ctx.tell(
            *g,
            ctx.text.format("material_handed_owner", {{"number", n}, {"item", c->service_name}}),
            cases::group_mention(ctx, c->owner));
}

} // namespace daiban::handlers
