// bot layer, channels: the JSON hook (DESIGN §3) that group-chat bridges and `daiban chat` speak.
// Wire format <-> handlers::turn / reply, signature, and the route.
#pragma once

#include "bot/dialogue/dispatcher.hpp"
#include "bot/http/router.hpp"
#include "bot/tenants.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace daiban::bot::channels {

// What is wrong with a request body: the field (a JSON path) and a sentence that names the fix.
struct hook_error {
    std::string field;
    std::string detail;
};

// Parses and validates a hook body into a turn (tenant is left empty).
std::variant<handlers::turn, hook_error> parse_hook_body(std::string_view body);

// "sha256=<hex HMAC-SHA256(secret, body)>", the X-Daiban-Signature header's value.
std::string hook_signature(std::string_view secret, std::string_view body);

// {"replies":[...],"duplicate":bool}
std::string encode_hook_response(const dialogue::turn_outcome& outcome);

// Adds POST /hook/{tenant}. `clock` returns unix seconds (for the replay window).
void add_hook_routes(http::router& r,
                     const tenant_registry& tenants,
                     dialogue::dispatcher& dispatcher,
                     std::function<std::int64_t()> clock);

} // namespace daiban::bot::channels
