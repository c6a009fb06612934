// common layer: personal details (see personal_details.hpp).
#include "common/personal_details.hpp"

namespace daiban::personal {

namespace {
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}
} // namespace

bool valid_id_card(std::string_view s) {
    if (s.size() != 18) return false;
    static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static constexpr char check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    int sum = 0;
    for (int i = 0; i < 17; ++i) {
        if (!is_digit(s[i])) return false;
        sum += (s[i] - '0') * weights[i];
    }
    const char last = s[17] == 'x' ? 'X' : s[17];
    return last == check[sum % 11];
}

namespace {
// Both readers share this scan; `shaped_ids` also reports 18-character runs whose check digit is
// wrong (a mistyped number is still somebody's).
std::vector<found_detail> scan(std::string_view text, bool shaped_ids) {
    std::vector<found_detail> out;
    std::size_t i = 0;
    while (i < text.size()) {
        if (!is_digit(text[i])) {
            ++i;
            continue;
        }
        std::size_t e = i;
        while (e < text.size() && is_digit(text[e]))
            ++e;
        std::size_t run = e - i;
        // An ID number may end in X.
        if (run == 17 && e < text.size() && (text[e] == 'X' || text[e] == 'x')) ++run, ++e;
        if (run == 18 && (shaped_ids || valid_id_card(text.substr(i, 18))))
            out.push_back({detail_kind::id_card, i, 18});
        else if (run == 11 && text[i] == '1' && text[i + 1] >= '3' && text[i + 1] <= '9')
            out.push_back({detail_kind::mobile, i, 11});
        i = e;
    }
    return out;
}

} // namespace

std::vector<found_detail> find(std::string_view text) {
    return scan(text, false);
}

std::string mask(std::string_view text) {
    std::string out(text);
    for (const auto& d : scan(text, true)) {
        const std::size_t from = d.pos + (d.kind == detail_kind::id_card ? 6 : 3);
        const std::size_t to = d.pos + d.len - 4;
        for (std::size_t k = from; k < to; ++k)
            out[k] = '*';
    }
    return out;
}

} // namespace daiban::personal
