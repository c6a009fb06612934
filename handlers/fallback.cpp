// handlers layer: the fallback for what the bot did not understand. It never guesses and never
// stays silent: it offers the likeliest meanings as numbered choices when the NLU has them, or
// the menu otherwise.
#include "handlers/registry.hpp"

namespace daiban::handlers {

boost::asio::awaitable<void> handle_fallback(context& ctx) {
    std::string choices;
    std::vector<std::string> options;
    for (const auto& [id, score] : ctx.understood.alternatives) {
        const auto l = model::info(id).choice_label;
        if (l.empty() || options.size() == 3) continue;
        options.emplace_back(model::name_of(id));
        choices += std::to_string(options.size()) + ". " + std::string(l) + "\n";
    }
    if (options.size() >= 2) {
        choices.pop_back();
        ctx.say(ctx.text.format("fallback_choices", {{"choices", choices}}));
        // Topic `unknown`: the NLU reads the number picked as the intent it stands for.
        ctx.conv.pending = pending_question{question_kind::choice, {}, options};
    } else {
        ctx.say(ctx.text.get("fallback"));
    }
    co_return;
}

} // namespace daiban::handlers
