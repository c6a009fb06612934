// bot layer, NLU: n-gram logistic regression (see classifier.hpp).
#include "bot/nlu/classifier.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace daiban::bot::nlu {

namespace {

std::uint64_t gram_hash(const char32_t* p, std::size_t n) {
    std::uint64_t h = 1469598103934665603ULL ^ n;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= static_cast<std::uint64_t>(p[i]);
        h *= 1099511628211ULL;
    }
    return h;
}

template <class F>
void for_each_gram(std::u32string_view text, F&& f) {
    // ^text$ : the marks let "菜单" alone differ from "菜单" inside a longer request.
    char32_t buf[160];
    std::size_t n = 0;
    buf[n++] = U'^';
    for (char32_t c : text) {
        if (n >= 158) break;
        if (c == U' ') continue; // voice input spaces at random: they carry no meaning
        buf[n++] = c;
    }
    buf[n++] = U'$';
    for (std::size_t len = 1; len <= 3; ++len)
        for (std::size_t i = 0; i + len <= n; ++i) {
            if (len == 1 && (buf[i] == U'^' || buf[i] == U'$')) continue;
            f(gram_hash(buf + i, len));
        }
    // Length bucket: very short messages ("满意", "2") behave differently from sentences.
    const std::size_t len = n - 2;
    f(gram_hash(U"#len", 4) + (len <= 2 ? 1 : len <= 4 ? 2 : len <= 8 ? 3 : 4));
}

} // namespace

void classifier::featurize(std::u32string_view text, bool grow, std::vector<std::uint32_t>& out) {
    out.clear();
    for_each_gram(text, [&](std::uint64_t h) {
        auto it = index_.find(h);
        if (it != index_.end()) {
            out.push_back(it->second);
        } else if (grow) {
            const auto id = static_cast<std::uint32_t>(index_.size());
            index_.emplace(h, id);
            out.push_back(id);
        }
    });
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
}

void classifier::train(const std::vector<example>& examples, int epochs) {
    labels_.clear();
    index_.clear();
    std::unordered_map<std::string, int> label_id;
    std::vector<std::vector<std::uint32_t>> feats(examples.size());
    std::vector<int> gold(examples.size());
    for (std::size_t i = 0; i < examples.size(); ++i) {
        auto [it, inserted] =
            label_id.try_emplace(examples[i].label, static_cast<int>(labels_.size()));
        if (inserted) labels_.push_back(examples[i].label);
        gold[i] = it->second;
        featurize(examples[i].text, true, feats[i]);
    }
    const std::size_t k = labels_.size();
    weights_.assign(index_.size() * k, 0.0f);
    bias_.assign(k, 0.0f);
    std::vector<std::size_t> order(examples.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(20261118);
    std::vector<double> z(k);
    const double l2 = 1e-5;
    for (int epoch = 0; epoch < epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        const double lr = 1.0 / (1.0 + 0.1 * epoch);
        for (std::size_t idx : order) {
            const auto& f = feats[idx];
            if (f.empty()) continue;
            const double scale = 1.0 / std::sqrt(static_cast<double>(f.size()));
            for (std::size_t c = 0; c < k; ++c) {
                double s = bias_[c];
                for (auto fi : f)
                    s += weights_[static_cast<std::size_t>(fi) * k + c] * scale;
                z[c] = s;
            }
            const double mx = *std::max_element(z.begin(), z.end());
            double sum = 0;
            for (auto& v : z)
                sum += (v = std::exp(v - mx));
            for (std::size_t c = 0; c < k; ++c) {
                const double g = z[c] / sum - (static_cast<int>(c) == gold[idx] ? 1.0 : 0.0);
                bias_[c] -= static_cast<float>(lr * g * 0.1);
                for (auto fi : f) {
                    float& w = weights_[static_cast<std::size_t>(fi) * k + c];
                    w -= static_cast<float>(lr * (g * scale + l2 * w));
                }
            }
        }
    }
}

std::vector<std::pair<int, double>> classifier::predict(std::u32string_view text) const {
    const std::size_t k = labels_.size();
    std::vector<std::pair<int, double>> out;
    if (k == 0) return out;
    // Scale by the number of distinct n-grams in the text, known or not, exactly as in
    // training, so unseen words dilute the evidence instead of being silently dropped.
    std::uint64_t grams[512];
    std::size_t n = 0;
    for_each_gram(text, [&](std::uint64_t h) {
        if (n < 512) grams[n++] = h;
    });
    std::sort(grams, grams + n);
    n = static_cast<std::size_t>(std::unique(grams, grams + n) - grams);
    std::vector<double> z(bias_.begin(), bias_.end());
    if (n > 0) {
        const double scale = 1.0 / std::sqrt(static_cast<double>(n));
        for (std::size_t i = 0; i < n; ++i) {
            auto it = index_.find(grams[i]);
            if (it == index_.end()) continue;
            const float* row = &weights_[static_cast<std::size_t>(it->second) * k];
            for (std::size_t c = 0; c < k; ++c)
                z[c] += row[c] * scale;
        }
    }
    const double mx = *std::max_element(z.begin(), z.end());
    double sum = 0;
    for (auto& v : z)
        sum += (v = std::exp(v - mx));
    out.reserve(k);
    for (std::size_t c = 0; c < k; ++c)
        out.emplace_back(static_cast<int>(c), z[c] / sum);
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.second > b.second; });
    return out;
}

} // namespace daiban::bot::nlu
