// handlers layer: the intent -> handler table.
#include "handlers/registry.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace daiban::handlers {

handler_fn find_handler(std::string_view intent_name) {
    static constexpr std::array<std::pair<std::string_view, handler_fn>, 4> table{{
        {"help", &handle_help},
        {"book_appointment", &handle_book_appointment},
        {"reschedule_appointment", &handle_reschedule_appointment},
        {"cancel_appointment", &handle_cancel_appointment},
    }};
    for (const auto& [name, fn] : table)
        if (name == intent_name) return fn;
    return &handle_fallback;
}

} // namespace daiban::handlers
