// handlers layer: the one way into handlers (see run.hpp).
#include "handlers/run.hpp"

#include "common/personal_details.hpp"
#include "handlers/campaigns.hpp"
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"

#include <iterator>

namespace daiban::handlers {

namespace {

using handler_fn = boost::asio::awaitable<void> (*)(context&);

// The handler of each intent, in the table's order.
constexpr handler_fn handler_of[] = {
#define DAIBAN_INTENT_HANDLER(name, handler, aud, label, key, phrase, verbs) &handler,
    DAIBAN_INTENTS(DAIBAN_INTENT_HANDLER)
#undef DAIBAN_INTENT_HANDLER
};
static_assert(std::size(handler_of) == model::intent_count);

// In groups the bot speaks only when addressed: mentioned, its own question answered, or an
// agent command (typed, or said in words the NLU recognised).
bool addressed(const context& ctx) {
    return ctx.in.chat.kind == chat_kind::private_chat || ctx.in.mentions_bot || ctx.asked ||
           model::for_agents(ctx.understood.id);
}

// An ID-card or mobile number posted in a group: a private reply, and a short warning in the
// group to recall it — even when the bot was not addressed.
bool leaks_personal_details(const context& ctx) {
    return model::is_words(ctx.in.kind) && ctx.in.chat.kind == chat_kind::group &&
           personal::contains(ctx.in.text);
}

// A resident who names their village in passing ("我是长梁村的，低保要什么材料") is not asked
// for it again later in the conversation. Agents name villages they serve, not their own.
void remember_village(context& ctx) {
    if (!ctx.data || !ctx.understood.village || ctx.sender_agent()) return;
    if (const auto* v = cases::find_village(ctx.data->org_, *ctx.understood.village))
        ctx.conv.village = v->id;
}

// A resident who writes in a village's group (长梁村代理群) is of that village until they say
// otherwise: the bot does not ask "哪个村" there.
void village_of_group(context& ctx) {
    if (!ctx.data || !ctx.conv.village.empty() || ctx.sender_agent() ||
        ctx.in.chat.kind != chat_kind::group)
        return;
    for (const auto& v : ctx.data->org_.villages)
        if (!v.group.empty() && v.group == ctx.in.chat.id) {
            ctx.conv.village = v.id;
            return;
        }
}

} // namespace

boost::asio::awaitable<void> run(context& ctx) {
    if (leaks_personal_details(ctx)) {
        ctx.say_privately(ctx.text.get("privacy_private"));
        ctx.tell(ctx.in.chat,
                 ctx.text.format("privacy_group_warning",
                                 {{"name", ctx.in.from_name.empty() ? "您好" : ctx.in.from_name}}),
                 {ctx.in.from_id});
        co_return;
    }
    if (!addressed(ctx)) co_return;
    remember_village(ctx);
    village_of_group(ctx);
    co_await handler_of[static_cast<std::size_t>(ctx.understood.id)](ctx);
}

boost::asio::awaitable<void> handle_unrouted(context& ctx) {
    // (No co_await inside conditions: GCC 12 miscompiles some of them.)
    if (ctx.in.kind == turn_kind::image || ctx.in.kind == turn_kind::file) {
        // Asked for a campaign's answer, a photo is the receipt; right after an emergency, it
        // is of the scene; else a material.
        const bool receipt = co_await file_campaign_receipt(ctx);
        if (receipt) co_return;
        const bool scene = co_await file_emergency_photo(ctx);
        if (!scene) co_await receive_material(ctx);
        co_return;
    }
    if (ctx.in.kind == turn_kind::location) {
        co_await receive_location(ctx);
        co_return;
    }
    if (ctx.in.kind == turn_kind::event) {
        const bool bound = co_await bind_by_scan(ctx);
        if (bound || answer_platform_event(ctx)) co_return;
    }
    if (ctx.in.kind == turn_kind::voice && ctx.in.text.empty()) {
        // WeChat sends no recognition when it could not make out the words.
        ctx.say(ctx.text.get("voice_not_heard"));
        co_return;
    }
    const bool rated = co_await rate_if_awaited(ctx);
    if (rated) co_return;
    co_await handle_fallback(ctx);
}

} // namespace daiban::handlers
