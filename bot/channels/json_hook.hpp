// bot layer, channels: the JSON hook (DESIGN §3) that group-chat bridges and `daiban chat` speak.
// Wire format <-> model::turn / reply, signature, and the route.
#pragma once

#include "bot/dialogue/dispatcher.hpp"
#include "bot/http/router.hpp"
#include "bot/replies/push.hpp"
#include "bot/tenants.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace daiban::bot::channels {

// What is wrong with a request body: the field (a JSON path) and a sentence that names the fix.
struct hook_error {
    std::string field;
    std::string detail;
};

// Parses and validates a hook body into a turn (tenant is left empty).
std::variant<model::turn, hook_error> parse_hook_body(std::string_view body);

// "sha256=<hex HMAC-SHA256(secret, body)>", the X-Daiban-Signature header's value.
std::string hook_signature(std::string_view secret, std::string_view body);

// {"replies":[...],"duplicate":bool}
std::string encode_hook_response(const dialogue::turn_outcome& outcome);

// The bridge can only deliver what travels on the hook. A turn's replies split into those that
// go back in the hook's response and those routed to another channel (model::reply::channel:
// a WeChat resident told about their case from an agent's group), which must be pushed.
struct hook_split {
    std::vector<model::reply> response;
    std::vector<model::reply> elsewhere;
};
hook_split split_hook_replies(const tenant_config& t, std::vector<model::reply> replies);

// Takes the replies of a hook turn that travel on another channel, to push them (the outbox).
// `message_id` ("<chat id>:<message id>") keeps idempotency keys stable across a re-run.
using hook_push_fn = replies::queue_replies_fn;

// Adds POST /hook/{tenant}. `clock` returns unix seconds (for the replay window). `push_elsewhere`
// unset: replies for other channels are logged and dropped.
void add_hook_routes(http::router& r,
                     const tenant_registry& tenants,
                     dialogue::dispatcher& dispatcher,
                     std::function<std::int64_t()> clock,
                     hook_push_fn push_elsewhere = {});

} // namespace daiban::bot::channels
