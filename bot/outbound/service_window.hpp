// bot layer, outbound: WeChat's customer-service window for pushes the bot starts itself
// (reminders, follow-ups, late replies): a resident on the official account can be messaged
// freely for 48 hours after their last message (wechat_protocol.md §5.2). Beyond it there is ONE
// policy, used both before sending (apply_service_window, from the time of the resident's last
// message kept by state::contact_store, recorded by the dispatcher) and after WeChat refused a
// customer-service message with 45015/43004 because that record was missing or wrong
// (deliverer::window_closed):
//   1. a template message, when the tenant configured one (wechat.template_id; the outbox's
//      deliverer sends it);
//   2. else the message goes to the resident's contact agent (their household's contact cadre,
//      else their village's first agent: model::org::contact_agent),
//      privately, on the first of the tenant's staff_channels the agent has an id on, with the
//      content, as a task to pass it on (key "<key>:relay");
//   3. else, only when that agent cannot be reached privately, a note to the village group that
//      someone is waiting, WITHOUT the content (personal details never go to a group; key
//      "<key>:agent_task"), @-mentioning the village's agents;
//   4. else nothing can carry it: the deliverer logs push_undeliverable.
// Steps 2-3 are reach_through_agents, so both paths end the same way whoever notices first.
#pragma once

#include "bot/replies/push.hpp"
#include "bot/tenants.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace daiban::bot::outbound {

inline constexpr std::int64_t service_window_s = 48 * 3600;

enum class window_route {
    direct,           // inside the window, or a channel without one (hook, wecom, groups)
    template_message, // outside; the tenant has a template: the outbox sends it as one
    relay_to_agent,   // outside, no template: reach_through_agents
};

// The decision for one push (pure, for tests).
window_route route_for_window(const replies::push& p,
                              std::optional<std::int64_t> last_inbound,
                              std::int64_t now,
                              bool has_template);

// Who stands in for a resident the bot cannot message directly (pure, for tests): the resident's
// contact agent (model::org::contact_agent: their household's cadre, else the village's first
// agent; `household` may be null) privately when the tenant shares a staff channel with them and
// there is content to pass on; else the village group, when the tenant can post to it; else nobody.
struct agent_route {
    enum class kind { relay, group_note, none };
    kind what = kind::none;
    std::string channel;              // relay: the agent's private channel; note: group_channel
    std::string chat_id;              // relay: the agent's id on it; note: the village group
    std::vector<std::string> mention; // note: the village's agents' ids on `channel`
};
agent_route route_to_agents(const tenant_runtime& tenant,
                            const model::village* village,
                            const model::household* household,
                            bool has_content);

// What a relay asks the agent to pass on: the text; a news reply's title and link; empty for a
// reply that is only an image (nothing an agent could read out).
std::string relay_content(const model::reply& r);

// The replacement pushes for "this WeChat resident (p: a private chat on the official account)
// cannot be messaged directly": the relay to their contact agent, else the note to their village
// group, else none (the caller keeps or reports the push). The resident's village is their
// profile's, else their household's (org.json), else the one their conversation remembers (it
// forgets after 30 days of silence; the profile never). Redis trouble reads as "village unknown".
boost::asio::awaitable<std::vector<replies::push>> reach_through_agents(
    state::redis::connection& redis, const tenant_runtime& tenant, const replies::push& p);

// Applies the decision to pushes before they are queued: pushes outside the window without a
// template are replaced by reach_through_agents' pushes (when it has none, the push stays as it
// is: WeChat decides, and the deliverer's window_closed ends the same way).
boost::asio::awaitable<std::vector<replies::push>>
apply_service_window(state::redis::connection& redis,
                     const tenant_registry& tenants,
                     std::vector<replies::push> pushes,
                     std::int64_t now);

} // namespace daiban::bot::outbound
