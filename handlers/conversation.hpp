// handlers layer: what the bot remembers about one conversation between turns (DESIGN §2).
// Stored by state/conversation_store as a Redis hash with a 30-day sliding TTL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace daiban::handlers {

// A question the bot asked and is waiting to have answered. The NLU reads the next turn in its
// light ("2" picks option 2 when kind == "choice"; "明天十点" answers kind == "date").
struct pending_question {
    // service | date | choice | confirm | village | material | rating | free_text
    std::string kind;
    std::string topic;                // what it is for, e.g. "open_case", "cancel_case:12"
    std::vector<std::string> options; // for numbered choices: the ids offered, in order

    bool operator==(const pending_question&) const = default;
};

struct conversation {
    std::int64_t turns = 0;         // turns handled so far
    std::int64_t last_seen = 0;     // unix seconds of the last turn
    std::string locale = "zh-Hans"; // zh-Hans | zh-Hant (replies follow the resident's script)
    std::string village;            // bound village id, if any
    std::optional<pending_question> pending;
};

} // namespace daiban::handlers
