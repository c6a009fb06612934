// handlers layer: consultations (咨询, seed 001's "一号受理"): a policy question the service
// catalogue cannot answer ("宅基地能卖给外村人吗") is answered from the tenant's FAQ (faq.json,
// plus the answers staff taught it with 入库 N). Sure of the match: the answer and its source.
// Unsure: the closest questions as numbered choices, with "都不是" last. Nothing fits, or none of
// the choices: the question becomes a consultation ticket for the township's duty staff, who answer
// with 答复 N (ticket_commands.cpp) — relayed to the resident — and may then 入库 N.
// Never a made-up answer: what the FAQ does not hold goes to a person.
#include "handlers/consultations.hpp"

#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"
#include "model/faq.hpp"
#include "state/faq_store.hpp"

namespace daiban::handlers {

namespace asio = boost::asio;
using model::faq_confidence;

namespace {

// The last choice of an offer: none of these, ask a person.
constexpr std::string_view ask_staff = "ask_staff";
// Learned entries are named after their consultation.
constexpr std::string_view learned_prefix = "learned_";

std::string learned_id(std::int64_t ticket) {
    return std::string(learned_prefix) + std::to_string(ticket);
}

// The FAQ this tenant answers from now: the file's, plus what staff taught it. Learned answers
// are few and questions rare, so one index is built over both per question (tens of µs) rather
// than two searched apart, whose scores would not compare.
struct knowledge {
    const model::faq_index* file = nullptr;
    std::optional<model::faq_index> merged; // only when staff taught anything
    // (A function, not a pointer member: a knowledge is moved out of the coroutine.)
    const model::faq_index& index() const { return merged ? *merged : *file; }
};

asio::awaitable<knowledge> knowledge_of(context& ctx) {
    knowledge k;
    k.file = &ctx.data->faq_;
    const auto learned = co_await ctx.stores.faq.learned(ctx.in.tenant);
    if (learned.empty()) co_return k;
    auto entries = ctx.data->faq_.entries();
    for (const auto& a : learned) {
        model::faq_entry e;
        e.id = learned_id(a.ticket);
        e.questions = {a.question};
        e.answer = a.answer;
        e.source = ctx.text.format("consult_learned_source",
                                   {{"agent", cases::agent_name(ctx.data, a.by)}});
        entries.push_back(std::move(e));
    }
    k.merged.emplace(std::move(entries));
    co_return k;
}

void tell_answer(context& ctx, const model::faq_entry& e) {
    ctx.say(ctx.text.format("consult_answer", {{"answer", e.answer}, {"source", e.source}}));
}

// The question goes to the township's duty staff (its supervisor), or the county when the
// resident's village is unknown.
asio::awaitable<void> forward_to_staff(context& ctx, const std::string& question) {
    const auto home = co_await tickets::known_village(ctx);
    const auto r = tickets::responders_of(ctx, home, cases::resident_id(ctx));
    auto req = tickets::ticket_request(ctx, state::ticket_kind::consultation);
    req.text = question;
    req.village = home;
    req.township = r.township ? r.township->id : std::string();
    req.owner = r.duty ? r.duty->id : ctx.data->org_.county_admin;
    const auto due = cases::calendar_of(ctx).add_working_days(
        cases::today(ctx), ctx.data->org_.limits.consultation_days);
    req.due = due.iso();
    req.due_days = due.to_days();
    const auto opened = co_await ctx.stores.tickets.open(req);
    const auto number = std::to_string(opened.number);
    const std::string place = home.empty() ? std::string() : cases::village_name(ctx.data, home);
    const std::string who = place + (req.resident_name.empty() ? "居民" : req.resident_name);
    const auto card = ctx.text.format(
        "consult_card",
        {{"number", number}, {"who", who}, {"text", question}, {"due", cases::month_day(req.due)}});
    // Township staff read their own group; without one the owner hears it privately.
    if (auto group = tickets::staff_group(ctx, req.owner))
        ctx.tell(*group, card, cases::group_mention(ctx, req.owner));
    else if (auto to = cases::private_reach(ctx, req.owner))
        ctx.tell({chat_kind::private_chat, to->id}, card, {}, to->channel);
    ctx.say(ctx.text.format("consult_forwarded", {{"number", number},
                                                  {"owner", cases::agent_name(ctx.data, req.owner)},
                                                  {"due", cases::month_day(req.due)}}));
}

// The answer to "您问的是哪一个？": an entry, or "都不是" (the question goes to staff).
asio::awaitable<void> take_choice(context& ctx) {
    const auto& options = ctx.asked->options;
    const int k = *ctx.understood.choice;
    if (k < 1 || k > static_cast<int>(options.size())) {
        ctx.say(ctx.text.get("consult_choice_range"));
        ctx.conv.pending = *ctx.asked;
        co_return;
    }
    const auto& id = options[static_cast<std::size_t>(k - 1)];
    if (id != ask_staff) {
        const auto kb = co_await knowledge_of(ctx);
        if (const auto* e = kb.index().find(id)) {
            tell_answer(ctx, *e);
            co_return;
        }
    }
    // "都不是", or an entry gone since it was offered (the file was reloaded): ask a person.
    co_await forward_to_staff(ctx, ctx.asked->topic.subject);
}

} // namespace

asio::awaitable<bool> answer_from_faq(context& ctx) {
    if (!ctx.data) co_return false;
    const auto kb = co_await knowledge_of(ctx);
    if (kb.index().empty()) co_return false;
    const auto hits = kb.index().search(ctx.understood.normalized, cases::today(ctx));
    const auto d = model::classify(hits);
    if (d.confidence != faq_confidence::answer) co_return false;
    tell_answer(ctx, *d.hits.front().entry);
    co_return true;
}

asio::awaitable<void> handle_consult(context& ctx) {
    if (!ctx.data) {
        co_await handle_fallback(ctx);
        co_return;
    }
    if (ctx.asked && ctx.asked->asks(question_kind::choice, intent_id::consult) &&
        ctx.understood.choice) {
        co_await take_choice(ctx);
        co_return;
    }
    const auto kb = co_await knowledge_of(ctx);
    const auto hits = kb.index().search(ctx.understood.normalized, cases::today(ctx));
    const auto d = model::classify(hits);
    if (d.confidence == faq_confidence::answer) {
        tell_answer(ctx, *d.hits.front().entry);
        co_return;
    }
    if (d.confidence == faq_confidence::offer) {
        std::vector<std::string> options;
        std::string choices;
        for (const auto& h : d.hits) {
            options.push_back(h.entry->id);
            choices += std::to_string(options.size()) + ". " + h.entry->questions.front() + "\n";
        }
        options.emplace_back(ask_staff);
        choices += std::to_string(options.size()) + ". " + ctx.text.get("consult_none_of_these");
        ctx.say(ctx.text.format("consult_offer", {{"choices", choices}}));
        ctx.conv.pending = pending_question{
            question_kind::choice, {intent_id::consult, ctx.in.text}, std::move(options)};
        co_return;
    }
    co_await forward_to_staff(ctx, ctx.in.text);
}

} // namespace daiban::handlers
