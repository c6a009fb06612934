// handlers layer: `后台` / `登录` — an agent asks for the staff console. The bot answers with a
// one-time sign-in link (10 minutes, single use, bound to this agent), always in the agent's
// private chat: a link said in a village group would sign in whoever clicks it first. Only the
// link's SHA-256 is stored (state/console_store), so Redis never holds a usable token.
#include "common/random_token.hpp"
#include "common/sha256.hpp"
#include "handlers/registry.hpp"

namespace daiban::handlers {

namespace {
constexpr std::int64_t link_ttl_s = 600;
}

boost::asio::awaitable<void> handle_console_link(context& ctx) {
    const agent* me = ctx.sender_agent();
    if (!me) {
        ctx.say(ctx.text.get("agent_only"));
        co_return;
    }
    if (ctx.console_url.empty()) {
        ctx.say(ctx.text.get("console_not_set_up"));
        co_return;
    }
    const std::string token = random_token();
    const std::string digest = sha256_hex(token);
    co_await ctx.stores.console.put_link(ctx.in.tenant, digest, me->id, link_ttl_s);
    ctx.say_privately(ctx.text.format(
        "console_link",
        {{"url", ctx.console_url + "/console/login?t=" + ctx.in.tenant + "." + token}}));
    if (ctx.in.chat.kind == chat_kind::group) ctx.say(ctx.text.get("console_link_sent_privately"));
}

} // namespace daiban::handlers
