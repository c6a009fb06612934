// bot layer, outbound: WeChat's customer-service window for pushes the bot starts itself
// (reminders, follow-ups): a resident on the official account can be messaged freely for 48 hours
// after their last message (wechat_protocol.md §5.2). Beyond it, a template message is the way
// when the tenant configured one (wechat.template_id; the outbox's deliverer sends it); else the
// message goes to the resident's contact agent, privately (on the first of the tenant's
// staff_channels the agent has an id on), as a task to pass it on. The time of
// each resident's last message is kept by state::contact_store (recorded by the dispatcher).
#pragma once

#include "bot/replies/push.hpp"
#include "bot/tenants.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace daiban::bot::outbound {

inline constexpr std::int64_t service_window_s = 48 * 3600;

enum class window_route {
    direct,           // inside the window, or a channel without one (hook, wecom, groups)
    template_message, // outside; the tenant has a template: the outbox sends it as one
    relay_to_agent,   // outside, no template: the contact agent passes it on
};

// The decision for one push (pure, for tests).
window_route route_for_window(const replies::push& p,
                              std::optional<std::int64_t> last_inbound,
                              std::int64_t now,
                              bool has_template);

// Applies the decision to pushes: relayed ones become a private message to the resident's
// village contact agent (when the village is known; otherwise the push stays as it is and the
// outbox's own fallback applies).
boost::asio::awaitable<std::vector<replies::push>>
apply_service_window(state::redis::connection& redis,
                     const tenant_registry& tenants,
                     std::vector<replies::push> pushes,
                     std::int64_t now);

} // namespace daiban::bot::outbound
