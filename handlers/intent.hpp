// handlers layer: what the NLU understood of a turn (DESIGN §3 "NLU output").
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace daiban::handlers {

struct intent {
    // One of: help, open_case, ask_materials, ask_process, book_appointment,
    // reschedule_appointment, cancel_appointment, query_progress, submit_material, rate,
    // complain, suggest, report_emergency, cancel_case, contact_agent, bind_village, pay_fee,
    // agent_list, agent_claim, agent_done, agent_return, agent_transfer, agent_notice,
    // agent_stats, unknown.
    std::string name = "unknown";
    double confidence = 0.0;

    std::optional<std::string> service;  // catalogue id
    std::optional<std::string> date;     // YYYY-MM-DD
    std::optional<std::string> time;     // HH:MM
    std::optional<std::string> part;     // am | pm | evening
    std::optional<int> score;            // 1..5
    std::optional<double> amount;        // yuan
    std::optional<std::string> case_ref; // "12" or "FK-20261118-0003"
    std::optional<std::string> village;  // village name as in org.json

    // Answers read in the context of a pending question (DESIGN §3, NLU issue item 6).
    std::optional<int> choice;   // "2" picked option 2
    std::optional<bool> confirm; // 好的/是的 -> true, 不用了/算了 -> false

    // When `name` is unknown (or confidence is low): the likeliest meanings, best first, so the
    // bot can ask "您是想 1. … 2. …？" instead of guessing.
    std::vector<std::pair<std::string, double>> alternatives;

    // The text after normalisation, and whether the resident wrote Traditional Chinese
    // (replies then come back in Traditional).
    std::string normalized;
    bool traditional = false;
};

} // namespace daiban::handlers
