// model layer: what the NLU understood of a turn (DESIGN §3 "NLU output").
#pragma once

#include "model/intents.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace daiban::model {

struct intent {
    // Which of the intent table's entries (model/intents.hpp); `unknown` when unsure.
    intent_id id = intent_id::unknown;
    double confidence = 0.0;

    std::optional<std::string> service;  // catalogue id
    std::optional<std::string> date;     // YYYY-MM-DD
    std::optional<std::string> time;     // HH:MM
    std::optional<std::string> part;     // am | pm | evening
    std::optional<int> score;            // 1..5
    std::optional<double> amount;        // yuan
    std::optional<std::string> case_ref; // "12" or "FK-20261118-0003"
    std::optional<std::string> village;  // village name as in org.json
    // The words after the case number of a command an agent typed ("补正 12 发票 看不清" ->
    // 发票, 看不清); empty otherwise.
    std::vector<std::string> args;
    // The same words as typed, punctuation kept (model::agent_command::rest_as_typed).
    std::string rest_as_typed;

    // Answers read in the context of a pending question (DESIGN §3, NLU issue item 6).
    std::optional<int> choice;   // "2" picked option 2
    std::optional<bool> confirm; // 好的/是的 -> true, 不用了/算了 -> false

    // When `name` is unknown (or confidence is low): the likeliest meanings, best first, so the
    // bot can ask "您是想 1. … 2. …？" instead of guessing.
    std::vector<std::pair<intent_id, double>> alternatives;

    // The text after normalisation, and whether the resident wrote Traditional Chinese
    // (replies then come back in Traditional).
    std::string normalized;
    bool traditional = false;

    std::string_view name() const { return name_of(id); }
};

} // namespace daiban::model
