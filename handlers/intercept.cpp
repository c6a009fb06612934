// handlers layer: what runs before (or instead of) the intent's handler. In a group, a message
// carrying an ID-card or mobile number gets a private reply and a short warning in the group to
// recall it — even when the bot was not addressed. Agents' typed commands (查看 12, 通过 12 发票)
// are taken here too, whatever the NLU made of them. And `handle_unrouted` picks up turns
// without words (photos, files, QR scans) and bare ratings before the fallback asks.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"

namespace daiban::handlers {

bool may_intercept(const context& ctx) {
    if (ctx.in.kind != turn_kind::text) return false;
    if (ctx.in.chat.kind == chat_kind::group && cases::contains_personal_details(ctx.in.text))
        return true;
    return looks_like_agent_command(ctx.in.text);
}

boost::asio::awaitable<bool> intercept(context& ctx) {
    if (ctx.in.kind != turn_kind::text) co_return false;
    if (ctx.in.chat.kind == chat_kind::group && cases::contains_personal_details(ctx.in.text)) {
        ctx.say_privately(ctx.text.get("privacy_private"));
        ctx.tell(ctx.in.chat,
                 ctx.text.format("privacy_group_warning",
                                 {{"name", ctx.in.from_name.empty() ? "您好" : ctx.in.from_name}}),
                 {ctx.in.from_id});
        co_return true;
    }
    if (!ctx.sender_agent()) {
        if (!looks_like_agent_command(ctx.in.text)) co_return false;
        // A resident typing "通过 12": a polite no, in the chat it came from.
        ctx.say(ctx.text.get("agent_only"));
        co_return true;
    }
    co_return co_await typed_agent_command(ctx);
}

boost::asio::awaitable<void> handle_unrouted(context& ctx) {
    if (ctx.in.kind == turn_kind::image || ctx.in.kind == turn_kind::file) {
        co_await receive_material(ctx);
        co_return;
    }
    // (No co_await inside conditions: GCC 12 miscompiles some of them.)
    if (ctx.in.kind == turn_kind::event) {
        const bool bound = co_await bind_by_scan(ctx);
        if (bound) co_return;
    }
    const bool rated = co_await rate_if_awaited(ctx);
    if (rated) co_return;
    co_await handle_fallback(ctx);
}

} // namespace daiban::handlers
