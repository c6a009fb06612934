// handlers layer: residents and their villages. A resident is bound to a village by saying so
// (我是黄花岭村的 -> bind_village), by scanning the village's QR code (subscribe/scan event with
// key "village:<id>"), or by answering the bot's question. The binding lives in the resident's
// profile (state/resident_store), with the channel and chat that reach them later.
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"
#include "state/resident_store.hpp"

namespace daiban::handlers {

namespace cases {

const village* village_answered(const context& ctx) {
    if (!ctx.data) return nullptr;
    if (ctx.asked && ctx.asked->kind == question_kind::village && ctx.understood.choice) {
        const int n = *ctx.understood.choice;
        if (n >= 1 && n <= static_cast<int>(ctx.asked->options.size()))
            return ctx.data->org_.find_village(ctx.asked->options[static_cast<std::size_t>(n - 1)]);
    }
    if (ctx.understood.village)
        if (const auto* v = find_village(ctx.data->org_, *ctx.understood.village)) return v;
    return nullptr;
}

void ask_village(context& ctx, const question_topic& topic) {
    std::string choices;
    std::vector<std::string> ids;
    if (ctx.data)
        for (const auto& v : ctx.data->org_.villages) {
            ids.push_back(v.id);
            if (!choices.empty()) choices += "\n";
            choices += std::to_string(ids.size()) + ". " + v.name;
            if (const auto* t = ctx.data->org_.find_township(v.township))
                choices += "（" + t->name + "）";
        }
    ctx.say(ctx.text.format("village_ask", {{"choices", choices}}));
    ctx.conv.pending = pending_question{question_kind::village, topic, std::move(ids)};
}

boost::asio::awaitable<void> remember_resident(context& ctx, const std::string& village_id) {
    auto& residents = ctx.stores.residents;
    state::resident_profile p;
    p.channel = ctx.in.channel;
    p.chat = ctx.in.from_id;
    p.name = ctx.in.from_name;
    const auto id = resident_id(ctx);
    co_await residents.touch(ctx.in.tenant, id, p);
    co_await residents.set(ctx.in.tenant, id, "village", village_id);
    ctx.conv.village = village_id;
}

} // namespace cases

namespace {

boost::asio::awaitable<void> bind(context& ctx, const village& v, const char* reply_key) {
    co_await cases::remember_resident(ctx, v.id);
    const auto* a = cases::contact_agent_of(*ctx.data, v, cases::resident_id(ctx));
    ctx.say(ctx.text.format(reply_key, {{"village", v.name}, {"agent", a ? a->name : ""}}));
}

} // namespace

boost::asio::awaitable<void> handle_bind_village(context& ctx) {
    const auto* v = cases::village_answered(ctx);
    if (!v) {
        cases::ask_village(ctx, {intent_id::bind_village, {}});
        co_return;
    }
    co_await bind(ctx, *v, "village_bound");
    // "我是十家子村的，想办低保": bound, and the case is opened right away.
    if (ctx.understood.service && ctx.data->catalog_.find_service(*ctx.understood.service))
        co_await handle_open_case(ctx);
}

// A QR code per village ("village:hhl"): scanning it (or following the account through it)
// binds the resident. Returns false when the event is not such a scan.
boost::asio::awaitable<bool> bind_by_scan(context& ctx) {
    if (!ctx.in.event || !ctx.data) co_return false;
    const auto& e = *ctx.in.event;
    if (e.name != "subscribe" && e.name != "scan") co_return false;
    // WeChat prefixes the scene of a subscribe-by-QR with "qrscene_".
    std::string key = e.key;
    if (key.starts_with("qrscene_")) key.erase(0, 8);
    if (!key.starts_with("village:")) co_return false;
    const auto* v = ctx.data->org_.find_village(key.substr(8));
    if (!v) co_return false;
    try {
        co_await bind(ctx, *v, "village_welcome");
    } catch (const state::store_unavailable&) {
        // Kept as before: a scan that could not be recorded is read as any other event (the
        // turn goes on to the fallback) rather than failing.
        co_return false;
    }
    co_return true;
}

} // namespace daiban::handlers
