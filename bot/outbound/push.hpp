// bot layer, outbound: a push is a message the bot sends outside a passive reply — to a group,
// to an agent, a reminder fired by a timer, a reply that missed WeChat's 5-second budget. Every
// push goes through the outbox (DESIGN §2): durable, at-least-once, deduplicated by
// `idempotency_key`, retried with backoff, dead-lettered after N failures.
#pragma once

#include "handlers/turn.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace daiban::bot::outbound {

struct push {
    std::string tenant;
    // How the recipient is reached: "hook" (POST to the tenant's callback_url, signed), "wechat"
    // (customer-service / template message to an OpenID), "wecom" (app message / group webhook).
    std::string channel;
    handlers::reply reply;
    // Same key = same push: a retried enqueue or redelivery never sends twice.
    std::string idempotency_key;
};

class push_sink {
public:
    virtual ~push_sink() = default;
    // Durable once this returns success (written to Redis); delivery happens later.
    virtual boost::asio::awaitable<boost::system::result<void>> enqueue(std::vector<push> pushes) = 0;
};

} // namespace daiban::bot::outbound
