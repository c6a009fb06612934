// bot layer, NLU: Aho-Corasick automaton (see matcher.hpp).
#include "bot/nlu/matcher.hpp"

#include <deque>

namespace daiban::bot::nlu {

void matcher::add(std::u32string_view key, int value) {
    if (key.empty()) return;
    int s = 0;
    for (char32_t c : key) {
        auto [it, inserted] = edges_.try_emplace(edge_key(s, c), static_cast<int>(nodes_.size()));
        if (inserted) {
            nodes_.emplace_back();
            nodes_.back().depth = nodes_[static_cast<std::size_t>(s)].depth + 1;
            children_[static_cast<std::size_t>(s)].emplace_back(c, it->second);
            children_.emplace_back();
        }
        s = it->second;
    }
    nodes_[static_cast<std::size_t>(s)].values.push_back(value);
}

int matcher::next(int state, char32_t c) const {
    for (;;) {
        auto it = edges_.find(edge_key(state, c));
        if (it != edges_.end()) return it->second;
        if (state == 0) return 0;
        state = nodes_[static_cast<std::size_t>(state)].fail;
    }
}

void matcher::build() {
    // Breadth-first, so a node's failure target is final before its children need it.
    std::deque<int> queue;
    for (auto [c, child] : children_[0]) {
        nodes_[static_cast<std::size_t>(child)].fail = 0;
        queue.push_back(child);
    }
    for (auto& n : nodes_)
        n.output = -1;
    while (!queue.empty()) {
        const int s = queue.front();
        queue.pop_front();
        auto& n = nodes_[static_cast<std::size_t>(s)];
        const int f = n.fail;
        n.output = !n.values.empty() ? s : nodes_[static_cast<std::size_t>(f)].output;
        for (auto [c, child] : children_[static_cast<std::size_t>(s)]) {
            nodes_[static_cast<std::size_t>(child)].fail = next(f, c);
            if (nodes_[static_cast<std::size_t>(child)].fail == child)
                nodes_[static_cast<std::size_t>(child)].fail = 0;
            queue.push_back(child);
        }
    }
}

std::vector<matcher::hit> matcher::find_all(std::u32string_view text) const {
    std::vector<hit> hits;
    int s = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        s = next(s, text[i]);
        for (int o = nodes_[static_cast<std::size_t>(s)].output; o > 0;) {
            const auto& n = nodes_[static_cast<std::size_t>(o)];
            for (int v : n.values)
                hits.push_back({i + 1 - static_cast<std::size_t>(n.depth), i + 1, v});
            o = nodes_[static_cast<std::size_t>(n.fail)].output;
        }
    }
    return hits;
}

} // namespace daiban::bot::nlu
