// bot layer, outbound: service_window (see service_window.hpp).
#include "bot/outbound/service_window.hpp"

#include "bot/outbound/delivery.hpp"
#include "bot/replies/routing.hpp"
#include "handlers/case_support.hpp"
#include "handlers/texts.hpp"
#include "state/case_store.hpp"
#include "state/contact_store.hpp"
#include "state/resident_store.hpp"

namespace daiban::bot::outbound {

window_route route_for_window(const replies::push& p,
                              std::optional<std::int64_t> last_inbound,
                              std::int64_t now,
                              bool has_template) {
    if (p.channel != "wechat" || p.reply.chat.kind != model::chat_kind::private_chat)
        return window_route::direct;
    if (last_inbound && now - *last_inbound < service_window_s) return window_route::direct;
    return has_template ? window_route::template_message : window_route::relay_to_agent;
}

namespace {

// How the agent will know whom to call. A WeChat resident has no name unless they gave one, and
// the relay travels over the bridge or WeCom, so never the full OpenID: the name they gave; else
// their latest case (number, service, the name on it) in their village; else the village and the
// account id's last characters.
boost::asio::awaitable<std::string> resident_label(state::redis::connection& redis,
                                                   const std::string& tenant,
                                                   const model::village& village,
                                                   const state::resident_profile& profile,
                                                   const std::string& resident,
                                                   const std::string& platform_id) {
    const auto& text = handlers::texts::zh_hans();
    if (!profile.name.empty()) co_return text.format("relay_who_named", {{"name", profile.name}});
    state::redis_case_store cases(redis);
    // Redis trouble: the label without the case (the relay still goes out).
    std::optional<state::case_record> latest;
    try {
        const auto numbers = co_await cases.by_resident(tenant, resident);
        if (!numbers.empty()) latest = co_await cases.get(tenant, numbers.back());
    } catch (const state::store_unavailable&) {
    }
    if (latest) {
        const auto& k = *latest;
        const std::string number = std::to_string(k.number);
        if (!k.resident_name.empty())
            co_return text.format("relay_who_case", {{"village", village.name},
                                                     {"name", k.resident_name},
                                                     {"number", number},
                                                     {"service", k.service_name}});
        co_return text.format(
            "relay_who_case_unnamed",
            {{"village", village.name}, {"number", number}, {"service", k.service_name}});
    }
    co_return text.format("relay_who_unknown",
                          {{"village", village.name}, {"masked", masked_account_id(platform_id)}});
}

} // namespace

boost::asio::awaitable<std::vector<replies::push>>
apply_service_window(state::redis::connection& redis,
                     const tenant_registry& tenants,
                     std::vector<replies::push> pushes,
                     std::int64_t now) {
    std::vector<replies::push> out;
    for (auto& p : pushes) {
        if (p.channel != "wechat" || p.reply.chat.kind != model::chat_kind::private_chat) {
            out.push_back(std::move(p));
            continue;
        }
        auto tenant = tenants.find(p.tenant);
        const bool has_template =
            tenant && tenant->cfg.wechat && !tenant->cfg.wechat->template_id.empty();
        state::contact_store contacts(redis);
        auto last = co_await contacts.last_inbound(p.tenant, p.reply.chat.id);
        const auto route = route_for_window(p, last ? *last : std::nullopt, now, has_template);
        if (route != window_route::relay_to_agent || !tenant || !tenant->data) {
            out.push_back(std::move(p));
            continue;
        }
        // The resident's contact agent (the village's first agent), reached privately on the
        // first channel the tenant and the agent share (hook bridge, WeCom, official account).
        state::redis_resident_store residents(redis);
        std::optional<state::resident_profile> profile; // none on Redis trouble: sent as is
        try {
            profile = co_await residents.get(p.tenant, p.channel + ":" + p.reply.chat.id);
        } catch (const state::store_unavailable&) {
        }
        const auto& org = tenant->data->org_;
        const auto* v = profile ? org.find_village(profile->village) : nullptr;
        const auto* a = v && !v->agents.empty() ? org.find_agent(v->agents.front()) : nullptr;
        const auto reach =
            a ? handlers::cases::private_reach(replies::staff_channels(tenant->cfg), *a)
              : std::nullopt;
        if (!reach) {
            out.push_back(std::move(p));
            continue;
        }
        replies::push relay;
        relay.tenant = p.tenant;
        relay.channel = reach->channel;
        relay.idempotency_key = p.idempotency_key + ":relay";
        relay.reply.chat = {model::chat_kind::private_chat, reach->id};
        relay.reply.channel = reach->channel;
        const auto who = co_await resident_label(
            redis, p.tenant, *v, *profile, p.channel + ":" + p.reply.chat.id, p.reply.chat.id);
        relay.reply.text = handlers::texts::zh_hans().format(
            "remind_relay", {{"resident", who}, {"text", p.reply.text}});
        out.push_back(std::move(relay));
    }
    co_return out;
}

} // namespace daiban::bot::outbound
