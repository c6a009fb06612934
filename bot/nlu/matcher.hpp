// bot layer, NLU: an Aho-Corasick automaton over characters, built once per tenant load from
// the catalogue's service names/aliases and the villages' names/aliases, then shared read-only.
// One pass over a message finds every key in it, whatever the number of keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace daiban::bot::nlu {

class matcher {
public:
    struct hit {
        std::size_t begin = 0, end = 0; // [begin, end) in the text
        int value = 0;                  // what add() was given
    };

    // Adds a key (already normalised). Keys may repeat with different values.
    void add(std::u32string_view key, int value);
    // Computes failure links; call once after the last add().
    void build();
    // Every occurrence of every key, in order of their end position.
    std::vector<hit> find_all(std::u32string_view text) const;
    std::size_t size() const { return nodes_.size(); }

private:
    struct node {
        int fail = 0;
        int output = -1; // nearest node (this or along fail links) that ends a key, or -1
        int depth = 0;
        std::vector<int> values; // keys ending exactly here
    };
    static std::uint64_t edge_key(int from, char32_t c) {
        return (static_cast<std::uint64_t>(from) << 21) | static_cast<std::uint64_t>(c);
    }
    int next(int state, char32_t c) const;

    std::vector<node> nodes_{1};
    std::unordered_map<std::uint64_t, int> edges_;
    std::vector<std::vector<std::pair<char32_t, int>>> children_{1};
};

} // namespace daiban::bot::nlu
