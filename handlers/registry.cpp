// handlers layer: the intent -> handler table.
#include "handlers/registry.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace daiban::handlers {

handler_fn find_handler(std::string_view intent_name) {
    static constexpr std::array<std::pair<std::string_view, handler_fn>, 20> table{{
        {"help", &handle_help},
        // appointments (issue 6)
        {"book_appointment", &handle_book_appointment},
        {"reschedule_appointment", &handle_reschedule_appointment},
        {"cancel_appointment", &handle_cancel_appointment},
        // cases (issue 5)
        {"ask_materials", &handle_ask_materials},
        {"ask_process", &handle_ask_process},
        {"bind_village", &handle_bind_village},
        {"open_case", &handle_open_case},
        {"query_progress", &handle_query_progress},
        {"cancel_case", &handle_cancel_case},
        {"contact_agent", &handle_contact_agent},
        {"rate", &handle_rate},
        {"submit_material", &handle_submit_material},
        {"agent_list", &handle_agent_command},
        {"agent_claim", &handle_agent_command},
        {"agent_done", &handle_agent_command},
        {"agent_return", &handle_agent_command},
        {"agent_transfer", &handle_agent_command},
        {"agent_stats", &handle_agent_command},
        {"unknown", &handle_unrouted},
    }};
    for (const auto& [name, fn] : table)
        if (name == intent_name) return fn;
    return &handle_fallback;
}

} // namespace daiban::handlers
