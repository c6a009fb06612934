// handlers layer: platform events that carry no request (see case_support.hpp
// answer_platform_event). A plain follow gets a welcome; an unfollow, a link opened from the
// menu (VIEW), the periodic location report and delivery reports get silence — a "没太明白" to
// something the person never typed would only confuse them.
#include "handlers/case_support.hpp"

namespace daiban::handlers {

bool answer_platform_event(context& ctx) {
    if (!ctx.in.event) return false;
    const auto& name = ctx.in.event->name;
    if (name == "menu") return false; // a click: its key means an intent, or the fallback asks
    if (name == "subscribe") ctx.say(ctx.text.get("subscribe_welcome"));
    return true;
}

} // namespace daiban::handlers
