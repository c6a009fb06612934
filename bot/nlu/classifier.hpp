// bot layer, NLU: the statistical intent layer: multinomial logistic regression over character
// 1-3-grams (with start/end marks), trained at start-up from the examples in
// bot/nlu/data/intents.txt (embedded in the binary). It generalises beyond the rule layer's
// exact forms; its probability is the confidence the engine reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace daiban::bot::nlu {

class classifier {
public:
    struct example {
        std::string label;
        std::u32string text;
    };

    // Deterministic (fixed shuffling seed): the same examples give the same model.
    void train(const std::vector<example>& examples, int epochs = 40);

    // Probabilities of every label, best first.
    std::vector<std::pair<int, double>> predict(std::u32string_view text) const;
    const std::string& label(int i) const { return labels_[static_cast<std::size_t>(i)]; }
    std::size_t labels() const { return labels_.size(); }
    std::size_t features() const { return index_.size(); }

private:
    // Feature ids of a text (known features only unless `grow`), with equal weights.
    void featurize(std::u32string_view text, bool grow, std::vector<std::uint32_t>& out);

    std::vector<std::string> labels_;
    std::unordered_map<std::uint64_t, std::uint32_t> index_;
    std::vector<float> weights_; // features x labels, row-major
    std::vector<float> bias_;
};

} // namespace daiban::bot::nlu
