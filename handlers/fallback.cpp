// handlers layer: the fallback for what the bot did not understand. It never guesses and never
// stays silent: it offers the likeliest meanings as numbered choices when the NLU has them, or
// the menu otherwise.
#include "handlers/registry.hpp"

namespace daiban::handlers {

namespace {
// Short Chinese labels for intents offered as choices.
std::string_view label(std::string_view intent) {
    if (intent == "open_case") return "请代理员代办一件事";
    if (intent == "ask_materials") return "问办事要带什么材料";
    if (intent == "ask_process") return "问办事流程";
    if (intent == "book_appointment") return "预约时间去办";
    if (intent == "query_progress") return "查办理进度";
    if (intent == "contact_agent") return "联系代理员";
    if (intent == "complain") return "反映问题、投诉";
    if (intent == "rate") return "给服务打分";
    if (intent == "help") return "看看我能做什么";
    return {};
}
} // namespace

boost::asio::awaitable<void> handle_fallback(context& ctx) {
    std::string choices;
    std::vector<std::string> options;
    for (const auto& [name, score] : ctx.understood.alternatives) {
        const auto l = label(name);
        if (l.empty() || options.size() == 3) continue;
        options.push_back(name);
        choices += std::to_string(options.size()) + ". " + std::string(l) + "\n";
    }
    if (options.size() >= 2) {
        choices.pop_back();
        ctx.say(ctx.text.format("fallback_choices", {{"choices", choices}}));
        ctx.conv.pending = pending_question{"choice", "intent", options};
    } else {
        ctx.say(ctx.text.get("fallback"));
    }
    co_return;
}

} // namespace daiban::handlers
