// handlers layer: a campaign as a household sees it. The notice (or a reminder) comes as a timer
// firing in the household's own conversation, which leaves the bot's question open there
// (pending kind "payment", subject "N|member"); while it is open — and only then — "已交",
// "交了57.3元", "好的" or a receipt photo are read as the household's answer and recorded once;
// "还没交" gets a kind word and the question stays. Without the question a "交了" or a photo
// takes its usual way (pay_fee, materials): the bot never files anything under a campaign on a
// guess.
#include "handlers/campaigns.hpp"
#include "handlers/case_support.hpp"
#include "handlers/received_files.hpp"
#include "handlers/registry.hpp"

#include <cstdio>

namespace daiban::handlers {

namespace asio = boost::asio;
using namespace campaigns;

namespace {

// "57.3" for 57.3, "60" for 60.0.
std::string yuan(double amount) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", amount);
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

// The campaign question this turn answers, if the bot had asked one.
std::optional<member_ref> asked_campaign(const context& ctx) {
    if (!ctx.asked || ctx.asked->kind != question_kind::payment) return std::nullopt;
    return parse_member_ref(ctx.asked->topic.subject);
}

// Asks (again) for the household's answer: the campaign question stays open in this
// conversation, unless the bot is waiting for something else here (a material's photo, a
// rating), which it does not take away.
void keep_asking(context& ctx, const member_ref& ref) {
    if (ctx.conv.pending && ctx.conv.pending->kind != question_kind::payment) return;
    ctx.conv.pending =
        pending_question{question_kind::payment,
                         {intent_id::campaign_reply, std::to_string(ref.number) + "|" + ref.member},
                         {}};
}

// Records the answer and thanks the household; the village group hears when nobody is missing.
asio::awaitable<void> record(context& ctx, const member_ref& ref, const state::campaign_answer& a) {
    auto& store = ctx.stores.campaigns;
    const auto c = co_await store.get(ctx.in.tenant, ref.number);
    if (!c || !c->member(ref.member)) {
        ctx.say(ctx.text.get("campaign_not_on_roster"));
        co_return;
    }
    const bool photo = !a.photo.empty();
    const std::string amount = a.amount.empty() ? std::string() : "（" + a.amount + "元）";
    const auto outcome = co_await store.answer(ctx.in.tenant, ref.number, ref.member, a);
    if (outcome == state::answer_outcome::already) {
        ctx.say(ctx.text.get("campaign_paid_before"));
        co_return;
    }
    if (outcome == state::answer_outcome::not_found) {
        ctx.say(ctx.text.get("campaign_not_on_roster"));
        co_return;
    }
    const bool notice = c->kind == state::campaign_kind::notice;
    ctx.say(ctx.text.format(notice  ? "campaign_read"
                            : photo ? "campaign_receipt"
                                    : "campaign_paid",
                            {{"title", c->title}, {"amount", amount}}));
    if (c->answers.size() + 1 == c->roster.size() && !c->group.empty())
        ctx.tell(
            {chat_kind::group, c->group},
            ctx.text.format("campaign_all_done", {{"label", label(ctx, *c)},
                                                  {"total", std::to_string(c->roster.size())}}),
            {}, ctx.group_channel);
}

} // namespace

asio::awaitable<void> handle_campaign_reply(context& ctx) {
    const auto ref = asked_campaign(ctx);
    if (!ref) {
        co_await handle_fallback(ctx);
        co_return;
    }
    if (ctx.understood.confirm == false) {
        const auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, ref->number);
        if (c)
            ctx.say(
                ctx.text.format("campaign_not_yet", {{"title", c->title},
                                                     {"deadline", cases::month_day(c->deadline)}}));
        keep_asking(ctx, *ref);
        co_return;
    }
    if (!ctx.understood.confirm) {
        // "收到", "好的": read, which answers a notice; a payment needs "已交".
        const auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, ref->number);
        if (c && c->kind == state::campaign_kind::collect) {
            ctx.say(ctx.text.format(
                "campaign_noted_unpaid",
                {{"title", c->title}, {"deadline", cases::month_day(c->deadline)}}));
            keep_asking(ctx, *ref);
            co_return;
        }
    }
    state::campaign_answer a;
    a.at = ctx.now;
    a.by = cases::resident_id(ctx);
    if (ctx.understood.amount && *ctx.understood.amount > 0)
        a.amount = yuan(*ctx.understood.amount);
    co_await record(ctx, *ref, a);
}

asio::awaitable<bool> ask_about_awaited_campaign(context& ctx) {
    if (ctx.in.chat.kind != chat_kind::private_chat || !ctx.data) co_return false;
    // Only a statement of having paid: "医保怎么交" is a question for the guide, not an answer.
    // (The words the NLU's campaign_answer reads as paid, kept short here.)
    const auto& t = ctx.in.text;
    bool paid = false;
    for (std::string_view w : {"已交", "交了", "交过", "交好了", "已缴", "缴了", "缴过"})
        paid = paid || t.find(w) != std::string::npos;
    if (!paid) co_return false;
    const auto rid = cases::resident_id(ctx);
    const auto* household = cases::household_of(*ctx.data, rid);
    const std::string key = household ? household->id : "r:" + rid;
    const auto open = co_await ctx.stores.campaigns.open_campaigns(ctx.in.tenant);
    std::optional<state::campaign_record> waiting;
    for (const auto number : open) {
        auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, number);
        if (c && c->kind == state::campaign_kind::collect && c->member(key) && !c->answered(key)) {
            waiting = std::move(c);
            break;
        }
    }
    if (!waiting) co_return false;
    ctx.say(ctx.text.format("campaign_which_paid", {{"title", waiting->title}}));
    keep_asking(ctx, member_ref{waiting->number, key});
    co_return true;
}

asio::awaitable<bool> file_campaign_receipt(context& ctx) {
    if (ctx.in.kind != turn_kind::image && ctx.in.kind != turn_kind::file) co_return false;
    const auto ref = asked_campaign(ctx);
    if (!ref) co_return false;
    const auto kept = co_await keep_received_file(ctx);
    if (!kept) {
        keep_asking(ctx, *ref); // told why; the question stays for a retake or a "已交"
        co_return true;
    }
    state::campaign_answer a;
    a.at = ctx.now;
    a.by = cases::resident_id(ctx);
    a.photo = *kept;
    co_await record(ctx, *ref, a);
    co_return true;
}

asio::awaitable<void> fire_campaign_notice(context& ctx, const std::string& payload) {
    const auto ref = parse_member_ref(payload);
    if (!ref || !ctx.data) co_return;
    const bool nudge = payload.ends_with("|nudge");
    const auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, ref->number);
    // Answered meanwhile, or the list is final: nothing to ask.
    if (!c || !c->open || c->answered(ref->member)) co_return;
    const auto* m = c->member(ref->member);
    if (!m) co_return;
    const bool notice = c->kind == state::campaign_kind::notice;
    const std::string key = nudge ? (notice ? "campaign_nudge_notice" : "campaign_nudge_collect")
                                  : (notice ? "campaign_notice_notice" : "campaign_notice_collect");
    ctx.say(ctx.text.format(key, {{"village", cases::village_name(ctx.data, m->village)},
                                  {"agent", cases::agent_name(ctx.data, c->started_by)},
                                  {"title", c->title},
                                  {"amount", amount_note(*c)},
                                  {"deadline", cases::month_day(c->deadline)}}));
    keep_asking(ctx, *ref);
}

} // namespace daiban::handlers
