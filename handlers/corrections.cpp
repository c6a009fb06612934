// handlers layer: corrections ("不是这个", "搞错了", "不是户口，是医疗费报销"). A correction undoes
// the bot's last action when it is still undone cheaply — a case this conversation opened in the
// last half hour that nobody has touched is withdrawn, and its card in the village group is
// followed by a correction — then asks what was meant. What the resident says they meant is
// offered, never acted on: it is a second reading of someone already misread once.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"

namespace daiban::handlers {

namespace {

using state::case_status;

// How long a case opened by mistake may be withdrawn by a plain "搞错了". Later, or once an
// agent has taken it or a document is in, withdrawing is the resident's explicit "撤销 N".
constexpr std::int64_t withdraw_window_s = 30 * 60;

bool untouched(const state::case_record& c) {
    return (c.status == case_status::accepted || c.status == case_status::collecting) &&
           c.claimed_by.empty() && c.received_count() == 0;
}

enum class undo { none, withdrawn, too_late };

// Withdraws the case this conversation opened last, if it is recent and untouched; too_late
// when an agent or a document got to it first (the resident was told how to withdraw it).
boost::asio::awaitable<undo> withdraw_recent_case(context& ctx) {
    if (ctx.conv.opened_case <= 0 || ctx.now - ctx.conv.opened_at > withdraw_window_s)
        co_return undo::none;
    auto& store = ctx.stores.cases;
    const auto number = ctx.conv.opened_case;
    const auto got = co_await store.get(ctx.in.tenant, number);
    if (!got) co_return undo::none;
    const auto& c = *got;
    const auto rid = cases::resident_id(ctx);
    if (c.resident != rid || !state::is_open(c.status)) co_return undo::none;
    const auto n = std::to_string(number);
    if (!untouched(c)) {
        ctx.say(ctx.text.format("correct_too_late", {{"number", n}, {"item", c.service_name}}));
        co_return undo::too_late;
    }
    const auto moved = co_await store.transition(ctx.in.tenant, number, case_status::cancelled, rid,
                                                 "居民更正：开错了", ctx.now);
    if (moved.outcome != state::change_outcome::done) co_return undo::none;
    ctx.conv.opened_case = 0;
    ctx.conv.opened_at = 0;
    ctx.conv.service.clear();
    ctx.say(ctx.text.format("correct_withdrawn", {{"number", n}, {"item", c.service_name}}));
    if (auto g = cases::village_group(ctx, c.village))
        ctx.tell(
            *g,
            ctx.text.format("correct_withdrawn_owner", {{"number", n}, {"item", c.service_name}}),
            cases::group_mention(ctx, c.owner));
    co_return undo::withdrawn;
}

} // namespace

boost::asio::awaitable<void> handle_correct(context& ctx) {
    if (!ctx.data) {
        ctx.say(ctx.text.get("correct_sorry"));
        co_return;
    }
    // "不是急事" right after an emergency report takes the alarm back.
    const bool stood_down = co_await withdraw_recent_emergency(ctx);
    if (stood_down) co_return;
    const undo done = co_await withdraw_recent_case(ctx);
    // What they meant instead, when they said it: offered, with "是" to go ahead.
    if (ctx.understood.service)
        if (const auto* item = ctx.data->catalog_.find_service(*ctx.understood.service)) {
            ctx.say(ctx.text.format("correct_meant",
                                    {{"item", item->name}, {"short", cases::short_name(*item)}}));
            ctx.conv.pending =
                pending_question{question_kind::confirm, {intent_id::open_case, item->id}, {}};
            ctx.conv.service = item->id;
            co_return;
        }
    if (done == undo::too_late) co_return; // the resident decides with "撤销 N"
    if (done == undo::withdrawn || (ctx.asked && ctx.asked->about(intent_id::open_case))) {
        auto options = cases::common_services(*ctx.data);
        ctx.say(ctx.text.format("correct_which",
                                {{"choices", cases::service_choices(*ctx.data, options)}}));
        ctx.conv.pending =
            pending_question{question_kind::choice, {intent_id::open_case, {}}, std::move(options)};
        co_return;
    }
    // Nothing to undo and nothing named: the last reading was wrong, so forget what it was about.
    ctx.conv.service.clear();
    ctx.say(ctx.text.get("correct_sorry"));
}

} // namespace daiban::handlers
