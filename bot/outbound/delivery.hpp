// bot layer, outbound: delivering one push on its channel (the outbox worker calls this).
//   hook   -> POST the tenant's hook.callback_url, {"replies":[reply],"idempotency_key":k},
//             signed with X-Daiban-Signature like the hook's requests
//   wechat -> customer-service message (text, image, news) to the OpenID; when the 48 h window
//             is closed (45015/43004): a template message if the tenant set wechat.template_id,
//             else an agent task (a note to the resident's village group, without the content)
//   wecom  -> app message (message/send) to a member; group chats through the group-bot webhook
//             configured for that group (20 messages per minute per webhook, counted in Redis)
#pragma once

#include "bot/config.hpp"
#include "bot/outbound/access_token.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/outbound/push.hpp"
#include "bot/tenants.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace daiban::bot::outbound {

struct delivery_result {
    enum class outcome {
        sent,
        retry,     // transient: back off and try again (counts as a failure)
        defer,     // rate limit: try again after `after`, not counted as a failure
        permanent, // cannot succeed by retrying: dead-letter now
    };
    outcome what = outcome::sent;
    std::string reason;
    std::chrono::milliseconds after{0};
    std::vector<push> follow_ups; // pushes to queue as a consequence (agent tasks)
};

// The channel messages to agents' groups go out on: the hook bridge when the tenant has one,
// else its WeCom group bots (wecom.group_webhooks). Handlers @-mention agents by their ids on
// this channel (handlers::context::group_channel).
std::string group_channel(const tenant_config& t);

// A platform id shortened for people and logs ("…a1b2"): enough for an agent to match it with
// what they see, too little to address or track anyone.
std::string masked_account_id(const std::string& id);

// The channels an agent can be messaged on privately, in the tenant's order of preference:
// the hook bridge (where agents work), WeCom app messages (to the member's userid; only with
// wecom.corp_id and agent_id), the official account (customer-service message to the agent's
// OpenID). Only channels the tenant configures; handlers pick the first one an agent has an id on
// (handlers::context::staff_channels, handlers::cases::private_reach).
std::vector<std::string> staff_channels(const tenant_config& t);

// The channel a reply travels on: the one the handler chose (reply.channel) if any; else group
// chats go on group_channel(t) and private chats stay on `origin`, the turn's channel
// (wechat/wecom/hook; a timer turn's falls back to the tenant's first configured channel).
std::string
route_channel(const tenant_config& t, const handlers::reply& r, const std::string& origin);

class deliverer {
public:
    deliverer(const config& cfg,
              const tenant_registry* tenants,
              state::redis::connection& redis,
              http_client& http,
              access_tokens& tokens)
        : cfg_(cfg), tenants_(tenants), redis_(redis), http_(http), tokens_(tokens) {}

    boost::asio::awaitable<delivery_result> deliver(const push& p);

private:
    boost::asio::awaitable<delivery_result> to_hook(const tenant_config& t, const push& p);
    boost::asio::awaitable<delivery_result> to_wechat(const tenant_config& t, const push& p);
    boost::asio::awaitable<delivery_result> to_wecom(const tenant_config& t, const push& p);
    boost::asio::awaitable<delivery_result>
    window_closed(const tenant_config& t, const push& p, int errcode);

    const config& cfg_;
    const tenant_registry* tenants_;
    state::redis::connection& redis_;
    http_client& http_;
    access_tokens& tokens_;
};

// The customer-service message body for one reply (text, image or news); exposed for tests.
std::string wechat_custom_message(const std::string& openid, const handlers::reply& r);

} // namespace daiban::bot::outbound
