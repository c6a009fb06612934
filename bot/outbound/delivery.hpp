// bot layer, outbound: delivering one push on its channel (the outbox worker calls this).
//   hook   -> POST the tenant's hook.callback_url, {"replies":[reply],"idempotency_key":k},
//             signed with X-Daiban-Signature like the hook's requests
//   wechat -> customer-service message (text, image, news) to the OpenID; when the 48 h window
//             is closed (45015/43004): a template message if the tenant set wechat.template_id,
//             else service_window.hpp's policy (reach_through_agents): the message privately to
//             the resident's contact agent to pass on, else a content-free note to the village
//             group, queued as follow-ups
//   wecom  -> app message (message/send) to a member; group chats through the group-bot webhook
//             configured for that group (20 messages per minute per webhook, counted in Redis)
#pragma once

#include "bot/config.hpp"
#include "bot/outbound/access_token.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/replies/push.hpp"
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
    std::vector<replies::push> follow_ups; // pushes to queue as a consequence (agent tasks)
};

// A platform id shortened for people and logs ("…a1b2"): enough for an agent to match it with
// what they see, too little to address or track anyone.
std::string masked_account_id(const std::string& id);

class deliverer {
public:
    deliverer(const config& cfg,
              const tenant_registry* tenants,
              state::redis::connection& redis,
              http_client& http,
              access_tokens& tokens)
        : cfg_(cfg), tenants_(tenants), redis_(redis), http_(http), tokens_(tokens) {}

    boost::asio::awaitable<delivery_result> deliver(const replies::push& p);

private:
    boost::asio::awaitable<delivery_result> to_hook(const tenant_config& t, const replies::push& p);
    boost::asio::awaitable<delivery_result> to_wechat(const tenant_config& t,
                                                      const replies::push& p);
    boost::asio::awaitable<delivery_result> to_wecom(const tenant_config& t,
                                                     const replies::push& p);
    boost::asio::awaitable<delivery_result>
    window_closed(const tenant_config& t, const replies::push& p, int errcode);

    const config& cfg_;
    const tenant_registry* tenants_;
    state::redis::connection& redis_;
    http_client& http_;
    access_tokens& tokens_;
};

// The customer-service message body for one reply (text, image or news); exposed for tests.
std::string wechat_custom_message(const std::string& openid, const model::reply& r);

} // namespace daiban::bot::outbound
