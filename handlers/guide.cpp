// handlers layer: guide answers (办事指南). `ask_materials` gives the item's checklist;
// `ask_process` its steps, office, time limit, fee and whether the resident must come in person
// (领办). When the item is unclear the bot asks with numbered choices.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "state/resident_store.hpp"

namespace daiban::handlers {

namespace {

// The item the resident means: named in this turn, or picked from the choices the bot offered.
const service_item* item_asked(const context& ctx) {
    if (!ctx.data) return nullptr;
    if (ctx.understood.service)
        if (const auto* s = ctx.data->catalog_.find_service(*ctx.understood.service)) return s;
    if (ctx.asked && ctx.understood.choice && *ctx.understood.choice >= 1 &&
        *ctx.understood.choice <= static_cast<int>(ctx.asked->options.size()))
        return ctx.data->catalog_.find_service(
            ctx.asked->options[static_cast<std::size_t>(*ctx.understood.choice - 1)]);
    return nullptr;
}

void ask_which(context& ctx, intent_id job) {
    if (!ctx.data) {
        ctx.say(ctx.text.get("guide_unknown_item"));
        return;
    }
    auto options = cases::common_services(*ctx.data);
    ctx.say(ctx.text.format("guide_which_item",
                            {{"choices", cases::service_choices(*ctx.data, options)}}));
    ctx.conv.pending = pending_question{question_kind::choice, {job, {}}, std::move(options)};
}

} // namespace

boost::asio::awaitable<void> handle_ask_materials(context& ctx) {
    const auto* item = item_asked(ctx);
    if (!item) {
        ask_which(ctx, intent_id::ask_materials);
        co_return;
    }
    ctx.say(ctx.text.format("guide_materials", {{"item", item->name},
                                                {"list", cases::checklist(*item)},
                                                {"short", cases::short_name(*item)}}));
}

boost::asio::awaitable<void> handle_ask_process(context& ctx) {
    const auto* item = item_asked(ctx);
    if (!item) {
        ask_which(ctx, intent_id::ask_process);
        co_return;
    }
    // The resident's own township hall when their village is known.
    std::string township;
    auto p = co_await ctx.stores.residents.get(ctx.in.tenant, cases::resident_id(ctx));
    if (p && !p->village.empty())
        if (const auto* v = ctx.data->org_.find_village(p->village)) township = v->township;
    const office* o = ctx.data->office_for(*item, township);
    ctx.say(ctx.text.format(
        "guide_process", {{"item", item->name},
                          {"process", item->process},
                          {"office", o ? o->name : item->office},
                          {"address", o ? o->address : ""},
                          {"phone", o ? o->phone : ""},
                          {"days", std::to_string(item->time_limit_days)},
                          {"fee", item->fee},
                          {"mode", ctx.text.get(item->mode == "accompany" ? "guide_mode_accompany"
                                                                          : "guide_mode_proxy")}}));
}

} // namespace daiban::handlers
