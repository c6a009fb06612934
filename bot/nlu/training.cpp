// bot layer, NLU: reads the embedded training examples (see training.hpp).
#include "bot/nlu/training.hpp"

namespace daiban::bot::nlu {

namespace data {
extern const std::string_view intents; // generated from bot/nlu/data/intents.txt
extern const std::string_view
    corpus_train; // bot/nlu/data/corpus_train.txt (the corpus's train split)
} // namespace data

namespace {

void read_sections(std::string_view rest,
                   const std::function<void(std::string_view label, std::string_view text)>& f) {
    std::string_view label;
    while (!rest.empty()) {
        auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.remove_suffix(1);
        while (!line.empty() && line.front() == ' ')
            line.remove_prefix(1);
        if (line.empty() || line.front() == '#') continue;
        if (line.front() == '[' && line.back() == ']') {
            label = line.substr(1, line.size() - 2);
            continue;
        }
        if (!label.empty()) f(label, line);
    }
}

} // namespace

void for_each_training_example(
    const std::function<void(std::string_view label, std::string_view text)>& f) {
    read_sections(data::intents, f);
    read_sections(data::corpus_train, f);
}

} // namespace daiban::bot::nlu
