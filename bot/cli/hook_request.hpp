// bot layer, cli: building JSON-hook requests the way a bridge would (used by chat and bench).
#pragma once

#include <cstdint>
#include <string>

namespace daiban::bot::cli {

struct hook_target {
    std::string url = "http://127.0.0.1:8080"; // the bot
    std::string tenant = "demo";
    std::string secret;
};

// Finds the hook secret when none was given: $DAIBAN_HOOK_SECRET, else the tenant's secret in
// deploy/daiban.json (the demo setup). Empty if neither is found.
std::string default_hook_secret(const std::string& tenant);

std::int64_t unix_seconds();

} // namespace daiban::bot::cli
