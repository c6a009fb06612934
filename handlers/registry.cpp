// handlers layer: the intent -> handler table.
#include "handlers/registry.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace daiban::handlers {

handler_fn find_handler(std::string_view intent_name) {
    static constexpr std::array<std::pair<std::string_view, handler_fn>, 1> table{{
        {"help", &handle_help},
    }};
    for (const auto& [name, fn] : table)
        if (name == intent_name) return fn;
    return &handle_fallback;
}

} // namespace daiban::handlers
