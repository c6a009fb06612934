// bot layer, console: the staff console — web pages under /console/ and a JSON API under
// /api/v1/, served by the bot's own listener on the bot's own stores. Staff sign in by a one-time
// link (`后台` in chat) or a password (`daiban staff passwd`); every API call is checked against
// the agent's reach (model::org::reaches); actions on cases run as the agent's own typed command
// through the dispatcher, so a click and a typed `通过 12` are one code path.
#pragma once

#include "bot/config.hpp"
#include "bot/dialogue/dispatcher.hpp"
#include "bot/http/router.hpp"
#include "bot/replies/push.hpp"
#include "bot/shards.hpp"
#include "bot/tenants.hpp"

#include <cstdint>
#include <functional>
#include <memory>

namespace daiban::bot::console {

struct environment {
    const config& cfg;
    const tenant_registry& tenants;
    shard_set& shards;
    dialogue::dispatcher& dispatcher;
    std::function<std::int64_t()> now;        // unix seconds, the bot's one clock
    replies::queue_replies_fn push_elsewhere; // replies of console actions meant for others
};

class service;
struct service_deleter {
    void operator()(service* s) const;
};
using service_handle = std::unique_ptr<service, service_deleter>;

// Adds the console's routes. The returned service must outlive the router's use (the app keeps
// it next to the server).
service_handle add_console_routes(http::router& routes, const environment& env);

} // namespace daiban::bot::console
