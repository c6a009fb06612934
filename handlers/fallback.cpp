// handlers layer: the fallback for what the bot did not understand. A question the FAQ answers
// with confidence is answered (handlers/consultations). Otherwise it never guesses and never
// stays silent: it offers numbered choices — the NLU's likeliest meanings first, then the three
// things residents most often want — so that a reply of one digit always leads somewhere.
#include "handlers/consultations.hpp"
#include "handlers/registry.hpp"

#include <algorithm>

namespace daiban::handlers {

boost::asio::awaitable<void> handle_fallback(context& ctx) {
    // "你们几点上班", "宅基地能卖吗": a question the FAQ clearly answers is answered, not
    // met with "没太明白".
    if (co_await answer_from_faq(ctx)) co_return;
    std::string choices;
    std::vector<std::string> options;
    auto offer = [&](model::intent_id id) {
        const auto l = model::info(id).choice_label;
        const auto name = model::name_of(id);
        if (l.empty() || options.size() == 3 ||
            std::find(options.begin(), options.end(), name) != options.end())
            return;
        options.emplace_back(name);
        choices += std::to_string(options.size()) + ". " + std::string(l) + "\n";
    };
    for (const auto& [id, score] : ctx.understood.alternatives)
        offer(id);
    // Fewer than three likely meanings: the usual ones fill in, so there are always three.
    for (auto id : {model::intent_id::open_case, model::intent_id::ask_materials,
                    model::intent_id::query_progress})
        offer(id);
    choices.pop_back();
    ctx.say(ctx.text.format("fallback_choices", {{"choices", choices}}));
    // Topic `unknown`: the NLU reads the number picked as the intent it stands for.
    ctx.conv.pending = pending_question{question_kind::choice, {}, options};
}

} // namespace daiban::handlers
