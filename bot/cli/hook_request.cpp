// bot layer, cli: helpers shared by chat and bench (see hook_request.hpp).
#include "bot/cli/hook_request.hpp"

#include "bot/config.hpp"

#include <chrono>
#include <cstdlib>

namespace daiban::bot::cli {

std::string default_hook_secret(const std::string& tenant) {
    if (const char* s = std::getenv("DAIBAN_HOOK_SECRET"); s && *s) return s;
    std::vector<config_problem> problems;
    auto cfg = load_config("deploy/daiban.json", problems);
    if (!cfg) return {};
    const auto* t = cfg->find_tenant(tenant);
    return t && t->hook ? t->hook->secret : std::string{};
}

std::int64_t unix_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace daiban::bot::cli
