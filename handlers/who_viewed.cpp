// handlers layer: "谁看过我的材料" — the resident's side of the mandate (委托). Every view of a
// material file in the staff console is recorded (bot/console, state/console_store); the
// resident asks and hears who looked, when, and at which case's papers. Names, not ids; the
// address a view came from stays with the staff (it means nothing to a resident).
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"

namespace daiban::handlers {

namespace {

// "12月3日 10:05" in mainland time.
std::string when(std::int64_t unix_s) {
    const auto local = unix_s + 8 * 3600;
    const auto day = civil_date::from_days(local / 86400);
    const auto minutes = (local % 86400) / 60;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%d月%d日 %02d:%02d", day.month, day.day,
                  static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
    return buf;
}

} // namespace

boost::asio::awaitable<void> handle_who_viewed(context& ctx) {
    const auto numbers =
        co_await ctx.stores.cases.by_resident(ctx.in.tenant, cases::resident_id(ctx));
    if (numbers.empty()) {
        ctx.say(ctx.text.get("who_viewed_no_case"));
        co_return;
    }
    std::string lines;
    int shown = 0;
    // Newest case first; at most ten lines, so the answer stays readable on a phone.
    for (auto it = numbers.rbegin(); it != numbers.rend() && shown < 10; ++it) {
        const auto c = co_await ctx.stores.cases.get(ctx.in.tenant, *it);
        if (!c) continue;
        const auto views = co_await ctx.stores.console.views(ctx.in.tenant, *it);
        for (auto v = views.rbegin(); v != views.rend() && shown < 10; ++v, ++shown)
            lines += "\n" + ctx.text.format("who_viewed_line",
                                            {{"when", when(v->at)},
                                             {"name", cases::agent_name(ctx.data, v->who)},
                                             {"number", std::to_string(c->number)},
                                             {"service", c->service_name}});
    }
    ctx.say(lines.empty() ? ctx.text.get("who_viewed_none")
                          : ctx.text.get("who_viewed_header") + lines);
}

} // namespace daiban::handlers
