// tests/fuzz: the one symbol json_hook.cpp's HTTP route needs that lives in bot/tenants.cpp
// (which would pull in the NLU, the calendar and the handlers). fuzz_json_hook fuzzes
// parse_hook_body and never registers the route, so this is never called.
#include "bot/tenants.hpp"

#include <cstdlib>

namespace daiban::bot {
std::shared_ptr<const tenant_runtime> tenant_registry::find(std::string_view) const {
    std::abort();
}
} // namespace daiban::bot
