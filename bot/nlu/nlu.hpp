// bot layer, NLU: text (+ the conversation's pending question) -> model::intent.
// DESIGN §3 "NLU output" fixes the fields; `daiban nlu parse|eval|bench` expose this directly.
//
// Thread-safety: an `engine` is immutable after construction and shared by every shard.
// Building one (per tenant load) compiles the catalogue/village automaton once.
#pragma once

#include "model/conversation.hpp"
#include "model/intent.hpp"
#include "model/tenant_data.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::bot::nlu {

// The reference time for relative dates: an instant plus the UTC offset it is read in, so that
// "明天" means the resident's tomorrow (mainland: +08:00).
struct reference_time {
    std::int64_t unix_seconds = 0;
    int utc_offset_minutes = 8 * 60;
};

class engine {
public:
    // `data` may be null (no catalogue: services and villages are then never recognised).
    explicit engine(std::shared_ptr<const model::tenant_data> data);
    ~engine();
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    // Never throws on any input (any bytes, any length; text is capped internally).
    model::intent parse(std::string_view text,
                        reference_time now,
                        const model::pending_question* pending = nullptr) const;

    // The statistical layer alone, for comparing it with another classifier on equal terms
    // (`daiban nlu export`): what it reads of `text` (normalised; a service, village, date,
    // amount or case number folded to one mark) and the label it gives that, with its
    // probability. The rules and the pending question play no part here.
    std::u32string classifier_input(std::string_view text, reference_time now) const;
    std::pair<std::string, double> classify_only(std::u32string_view input) const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// The examples the statistical layer is trained on (bot/nlu/data), as it reads them: label and
// text, in the form of engine::classifier_input.
struct training_example {
    std::string label;
    std::u32string text;
};
std::vector<training_example> classifier_training_set();

} // namespace daiban::bot::nlu
