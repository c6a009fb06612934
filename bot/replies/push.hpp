// bot layer, replies: a push is a message the bot sends outside a passive reply — to a group,
// to an agent, a reminder fired by a timer, a reply that missed WeChat's 5-second budget. Every
// push goes through the outbox (DESIGN §2): durable, at-least-once, deduplicated by
// `idempotency_key`, retried with backoff, dead-lettered after N failures.
#pragma once

#include "model/turn.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <functional>
#include <string>
#include <vector>

namespace daiban::bot::replies {

struct push {
    std::string tenant;
    // How the recipient is reached: "hook" (POST to the tenant's callback_url, signed), "wechat"
    // (customer-service / template message to an OpenID), "wecom" (app message / group webhook).
    std::string channel;
    model::reply reply;
    // Same key = same push: a retried enqueue or redelivery never sends twice.
    std::string idempotency_key;
    // `reply` as the codec writes it (replies::encode_reply), when already made: to_pushes
    // encodes each reply once, for its key and for the outbox entry. Empty: the outbox encodes
    // `reply` itself. Whoever changes `reply` after to_pushes clears it.
    std::string encoded_reply;
};

class push_sink {
public:
    virtual ~push_sink() = default;
    // Durable once this returns success (written to Redis); delivery happens later.
    virtual boost::asio::awaitable<boost::system::result<void>>
    enqueue(std::vector<push> pushes) = 0;
};

// How a channel hands over the replies of one inbound message that leave as pushes (late, for
// another chat, on another channel). Resolves true once they are durably queued: a channel answers
// the platform only after that, so a crash in between makes the platform retry, and the retry
// queues them again (same message id and reply, same idempotency key: the outbox keeps one).
using queue_replies_fn = std::function<boost::asio::awaitable<bool>(
    const std::string& tenant,
    const std::string& channel,    // the inbound request's channel
    const std::string& message_id, // "<chat id>:<platform message id>"
    std::vector<model::reply> replies)>;

} // namespace daiban::bot::replies
