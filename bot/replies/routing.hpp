// bot layer, replies: where each reply goes. A handler's reply names a chat; this decides the
// channel it travels on, and turns the replies a request's response cannot carry into pushes for
// the outbox, each with the idempotency key that makes a retried request queue the same ones.
#pragma once

#include "bot/config.hpp"
#include "bot/replies/push.hpp"
#include "model/turn.hpp"

#include <string>
#include <vector>

namespace daiban::bot::replies {

// The channel messages to agents' groups go out on: the hook bridge when the tenant has one,
// else its WeCom group bots (wecom.group_webhooks). Handlers @-mention agents by their ids on
// this channel (handlers::context::group_channel).
std::string group_channel(const tenant_config& t);

// The channels an agent can be messaged on privately, in the tenant's order of preference:
// the hook bridge (where agents work), WeCom app messages (to the member's userid; only with
// wecom.corp_id and agent_id), the official account (customer-service message to the agent's
// OpenID). Only channels the tenant configures; handlers pick the first one an agent has an id on
// (handlers::context::staff_channels, handlers::cases::private_reach).
std::vector<std::string> staff_channels(const tenant_config& t);

// The channel a reply travels on: the one the handler chose (reply.channel) if any; else group
// chats go on group_channel(t) and private chats stay on `origin`, the turn's channel
// (wechat/wecom/hook; a timer turn's falls back to the tenant's first configured channel).
std::string route_channel(const tenant_config& t, const model::reply& r, const std::string& origin);

// The pushes for `replies` of one inbound message (`channel`, `message_id`: the request's), each
// routed (route_channel) and keyed by a digest of the request channel, the message id and the
// reply itself: a retry of the message re-queues the same replies under the same keys, however
// the retry splits passive from pushed, and the outbox drops what it has seen. A digest, because
// a hook callback shows its key to the bridge and the message id names the chat (a resident's
// OpenID). (Two identical replies of one turn are one push.)
std::vector<push> to_pushes(const tenant_config* t,
                            const std::string& tenant,
                            const std::string& channel,
                            const std::string& message_id,
                            std::vector<model::reply> replies);

} // namespace daiban::bot::replies
