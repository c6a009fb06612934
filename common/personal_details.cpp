// common layer: personal details (see personal_details.hpp).
#include "common/personal_details.hpp"

#include <array>

namespace daiban::personal {

namespace {
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// One character of a number as written: what it is and how many bytes of UTF-8 it takes.
enum class char_kind { other, digit, x, separator };
struct number_char {
    char_kind kind = char_kind::other;
    char ascii = 0; // the digit or 'X'
    std::size_t len = 1;
};

number_char read_char(std::string_view t, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(t[i + k]); };
    const char c = t[i];
    if (is_digit(c)) return {char_kind::digit, c, 1};
    if (c == 'X' || c == 'x') return {char_kind::x, 'X', 1};
    if (c == ' ' || c == '-') return {char_kind::separator, c, 1};
    if (i + 2 < t.size()) {
        // Full-width forms U+FF10..FF19 (０-９): EF BC 90..99; Ｘ U+FF38: EF BC B8; ｘ U+FF58:
        // EF BD 98; － U+FF0D: EF BC 8D.
        if (b(0) == 0xEF && b(1) == 0xBC && b(2) >= 0x90 && b(2) <= 0x99)
            return {char_kind::digit, static_cast<char>('0' + (b(2) - 0x90)), 3};
        if (b(0) == 0xEF && b(1) == 0xBC && b(2) == 0xB8) return {char_kind::x, 'X', 3};
        if (b(0) == 0xEF && b(1) == 0xBD && b(2) == 0x98) return {char_kind::x, 'X', 3};
        if (b(0) == 0xEF && b(1) == 0xBC && b(2) == 0x8D) return {char_kind::separator, '-', 3};
        // U+3000 ideographic space: E3 80 80; U+2010..2014 hyphens and dashes: E2 80 90..94.
        if (b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) return {char_kind::separator, ' ', 3};
        if (b(0) == 0xE2 && b(1) == 0x80 && b(2) >= 0x90 && b(2) <= 0x94)
            return {char_kind::separator, '-', 3};
    }
    return {};
}

// A group of digits (possibly ending in X) as found in the text.
struct group {
    std::size_t pos, end; // bytes
    std::string digits;   // ASCII, X included
};

// The shapes numbers are written in: group lengths.
constexpr std::array<std::array<std::size_t, 3>, 2> id_shapes{{{18, 0, 0}, {6, 8, 4}}};
constexpr std::array<std::array<std::size_t, 3>, 2> mobile_shapes{{{11, 0, 0}, {3, 4, 4}}};

// How many groups from `at` make a number of one of `shapes` (0: none). `x_allowed`: the last
// character may be X.
template <class Shapes>
std::size_t match(const std::vector<group>& g, std::size_t at, const Shapes& shapes, bool x_ok) {
    for (const auto& shape : shapes) {
        std::size_t n = 0;
        while (n < shape.size() && shape[n] != 0)
            ++n;
        if (at + n > g.size()) continue;
        bool ok = true;
        for (std::size_t k = 0; k < n && ok; ++k) {
            const auto& d = g[at + k].digits;
            ok = d.size() == shape[k];
            // X only as the number's very last character.
            for (std::size_t c = 0; c < d.size() && ok; ++c)
                if (d[c] == 'X') ok = x_ok && k + 1 == n && c + 1 == d.size();
        }
        if (ok) return n;
    }
    return 0;
}

std::string joined(const std::vector<group>& g, std::size_t at, std::size_t n) {
    std::string s;
    for (std::size_t k = 0; k < n; ++k)
        s += g[at + k].digits;
    return s;
}

// Reads the chain of groups starting at `i` (a digit): groups joined by exactly one separator.
// Returns where the chain ends.
std::size_t read_chain(std::string_view t, std::size_t i, std::vector<group>& out) {
    out.clear();
    for (;;) {
        group g{i, i, {}};
        while (i < t.size()) {
            const auto c = read_char(t, i);
            if (c.kind == char_kind::digit) {
                g.digits.push_back(c.ascii);
                i += c.len;
            } else if (c.kind == char_kind::x && (g.digits.size() == 17 || g.digits.size() == 3)) {
                // The check character of an ID number, as the last of 18 or of a "002X" group.
                g.digits.push_back('X');
                i += c.len;
                break;
            } else {
                break;
            }
        }
        g.end = i;
        out.push_back(std::move(g));
        if (i >= t.size()) return i;
        const auto sep = read_char(t, i);
        if (sep.kind != char_kind::separator) return i;
        const std::size_t after = i + sep.len;
        if (after >= t.size() || read_char(t, after).kind != char_kind::digit) return i;
        i = after;
    }
}

// Both readers share this scan; `shaped_ids` also reports 18-character numbers whose check digit
// is wrong (a mistyped number is still somebody's).
std::vector<found_detail> scan(std::string_view text, bool shaped_ids) {
    std::vector<found_detail> out;
    std::vector<group> groups;
    std::size_t i = 0;
    while (i < text.size()) {
        if (read_char(text, i).kind != char_kind::digit) {
            ++i;
            continue;
        }
        const std::size_t end = read_chain(text, i, groups);
        for (std::size_t at = 0; at < groups.size();) {
            std::size_t n = match(groups, at, id_shapes, true);
            if (n && (shaped_ids || valid_id_card(joined(groups, at, n)))) {
                out.push_back({detail_kind::id_card, groups[at].pos,
                               groups[at + n - 1].end - groups[at].pos});
                at += n;
                continue;
            }
            n = match(groups, at, mobile_shapes, false);
            if (n) {
                const auto digits = joined(groups, at, n);
                if (digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9') {
                    out.push_back({detail_kind::mobile, groups[at].pos,
                                   groups[at + n - 1].end - groups[at].pos});
                    at += n;
                    continue;
                }
            }
            ++at;
        }
        i = end;
    }
    return out;
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

std::vector<found_detail> find(std::string_view text) {
    return scan(text, false);
}

std::string mask(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (const auto& d : scan(text, true)) {
        out.append(text.substr(copied, d.pos - copied));
        const std::size_t total = d.kind == detail_kind::id_card ? 18 : 11;
        const std::size_t keep_front = d.kind == detail_kind::id_card ? 6 : 3;
        std::size_t nth = 0; // digits (X included) seen so far in this number
        for (std::size_t i = d.pos; i < d.pos + d.len;) {
            const auto c = read_char(text, i);
            if (c.kind == char_kind::separator) {
                out.append(text.substr(i, c.len));
            } else {
                if (nth >= keep_front && nth < total - 4)
                    out.push_back('*');
                else
                    out.append(text.substr(i, c.len));
                ++nth;
            }
            i += c.len;
        }
        copied = d.pos + d.len;
    }
    out.append(text.substr(copied));
    return out;
}

} // namespace daiban::personal
