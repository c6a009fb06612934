// bot layer, outbound: service_window (see service_window.hpp).
#include "bot/outbound/service_window.hpp"

#include "bot/outbound/delivery.hpp"
#include "bot/replies/routing.hpp"
#include "handlers/case_support.hpp"
#include "handlers/texts.hpp"
#include "state/case_store.hpp"
#include "state/contact_store.hpp"
#include "state/conversation_store.hpp"
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

std::string relay_content(const model::reply& r) {
    if (!r.text.empty()) return r.text;
    if (r.news) return r.news->url.empty() ? r.news->title : r.news->title + "\n" + r.news->url;
    return {};
}

agent_route route_to_agents(const tenant_runtime& tenant,
                            const model::village* village,
                            const model::household* household,
                            bool has_content) {
    agent_route route;
    if (!village || !tenant.data) return route;
    const auto& org = tenant.data->org_;
    // The contact agent (the household's cadre, else the village's first agent), reached
    // privately on the first channel the tenant and the agent share (hook bridge, WeCom app
    // message, official account): a person who can pass the message on, and the only place its
    // content may go.
    const auto* contact = org.contact_agent(*village, household);
    const auto reach =
        contact && has_content
            ? handlers::cases::private_reach(replies::staff_channels(tenant.cfg), *contact)
            : std::nullopt;
    if (reach) {
        route.what = agent_route::kind::relay;
        route.channel = reach->channel;
        route.chat_id = reach->id;
        return route;
    }
    // Nobody to tell privately: the village group learns that someone is waiting (and nothing
    // more), with its agents @-mentioned, when the tenant can post there at all.
    const auto& t = tenant.cfg;
    const std::string via = replies::group_channel(t);
    const bool group_reachable =
        !village->group.empty() &&
        (via == "hook" ? t.hook.has_value()
                       : t.wecom && t.wecom->group_webhooks.contains(village->group));
    if (!group_reachable) return route;
    route.what = agent_route::kind::group_note;
    route.channel = via;
    route.chat_id = village->group;
    for (const auto& agent_id : village->agents)
        if (const auto* a = org.find_agent(agent_id))
            if (auto it = a->ids.find(via); it != a->ids.end()) route.mention.push_back(it->second);
    return route;
}

namespace {

// How the agent will know whom to call. A WeChat resident has no name unless they gave one, and
// the relay travels over the bridge or WeCom, so never the full OpenID: the name they gave; else
// their latest case (number, service, the name on it) in their village; else the village and the
// account id's last characters.
boost::asio::awaitable<std::string> resident_label(state::redis::connection& redis,
                                                   const std::string& tenant,
                                                   const model::village& village,
                                                   const std::string& given_name,
                                                   const std::string& resident,
                                                   const std::string& platform_id) {
    const auto& text = handlers::texts::zh_hans();
    if (!given_name.empty()) co_return text.format("relay_who_named", {{"name", given_name}});
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

boost::asio::awaitable<std::vector<replies::push>> reach_through_agents(
    state::redis::connection& redis, const tenant_runtime& tenant, const replies::push& p) {
    std::vector<replies::push> out;
    if (!tenant.data) co_return out;
    const std::string& openid = p.reply.chat.id;
    const std::string resident = p.channel + ":" + openid;
    // The resident's village: their profile keeps it for good; the conversation only for 30 days
    // of silence, and a closed window means a silent resident — but a resident who never bound
    // themselves may still have named their village in the conversation.
    // (No co_await inside conditions: GCC 12 miscompiles some of them.)
    std::string village_id;
    std::string given_name;
    state::redis_resident_store residents(redis);
    try {
        const auto profile = co_await residents.get(p.tenant, resident);
        village_id = profile.village;
        given_name = profile.name;
    } catch (const state::store_unavailable&) {
        // Redis trouble: the conversation may still remember the village (below).
    }
    const auto* household = tenant.data->org_.household_by_platform_id(p.channel, openid);
    if (village_id.empty() && household) village_id = household->village;
    if (village_id.empty()) {
        state::conversation_store conversations(redis);
        const auto remembered = co_await conversations.village(p.tenant, "p:" + openid);
        if (remembered) village_id = *remembered;
    }
    const auto* village = village_id.empty() ? nullptr : tenant.data->org_.find_village(village_id);
    const std::string content = relay_content(p.reply);
    const auto route = route_to_agents(tenant, village, household, !content.empty());
    if (route.what == agent_route::kind::none) co_return out;

    replies::push next;
    next.tenant = p.tenant;
    next.channel = route.channel;
    if (route.what == agent_route::kind::relay) {
        // Keys derive from the push's: a retried timer or redelivered push queues the same one.
        next.idempotency_key = p.idempotency_key + ":relay";
        next.reply.chat = {model::chat_kind::private_chat, route.chat_id};
        next.reply.channel = route.channel;
        const auto who =
            co_await resident_label(redis, p.tenant, *village, given_name, resident, openid);
        next.reply.text = handlers::texts::zh_hans().format("remind_relay",
                                                            {{"resident", who}, {"text", content}});
    } else {
        next.idempotency_key = p.idempotency_key + ":agent_task";
        next.reply.chat = {model::chat_kind::group, route.chat_id};
        next.reply.mention = route.mention;
        next.reply.text = handlers::texts::zh_hans().format(
            "window_closed_group_note", {{"masked", masked_account_id(openid)}});
    }
    out.push_back(std::move(next));
    co_return out;
}

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
        if (route != window_route::relay_to_agent || !tenant) {
            out.push_back(std::move(p));
            continue;
        }
        auto instead = co_await reach_through_agents(redis, *tenant, p);
        // Nobody to stand in: WeChat may still take it (our record may be wrong); if not, the
        // deliverer's window_closed reaches the same verdict and reports it.
        if (instead.empty()) {
            out.push_back(std::move(p));
            continue;
        }
        for (auto& q : instead)
            out.push_back(std::move(q));
    }
    co_return out;
}

} // namespace daiban::bot::outbound
