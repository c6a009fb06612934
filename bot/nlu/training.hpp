// bot layer, NLU: the classifier's training examples, embedded in the binary from
// bot/nlu/data/intents.txt (the first hand-written set) and bot/nlu/data/corpus_train.txt (the
// labelled corpus's train split, bot/nlu/data/corpus/): "[intent]" headers, one example per line,
// "#" comments; {S} {V} {D} {M} {C} stand for a service, village, date, money amount and case
// number.
#pragma once

#include <functional>
#include <string_view>

namespace daiban::bot::nlu {

void for_each_training_example(
    const std::function<void(std::string_view label, std::string_view text)>& f);

} // namespace daiban::bot::nlu
