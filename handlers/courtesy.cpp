// handlers layer: thanks and goodbyes ("谢谢", "好的知道了", "辛苦了"): a short warm answer, never
// "没太明白" — and a rating said in the same breath still counts.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"

namespace daiban::handlers {

boost::asio::awaitable<void> handle_thanks(context& ctx) {
    const bool rated = co_await rate_if_awaited(ctx);
    if (rated) co_return;
    ctx.say(ctx.text.get("thanks_reply"));
}

} // namespace daiban::handlers
