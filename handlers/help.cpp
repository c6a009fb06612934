// handlers layer: `help` — what the bot can do (greetings, 菜单, 帮助). Agents also get their
// command list.
#include "handlers/registry.hpp"

namespace daiban::handlers {

boost::asio::awaitable<void> handle_help(context& ctx) {
    ctx.say(ctx.text.get(ctx.sender_agent() ? "help_agent" : "help"));
    co_return;
}

} // namespace daiban::handlers
