// bot layer, NLU: normalisation (see normalize.hpp).
#include "bot/nlu/normalize.hpp"

#include "common/utf8.hpp"

#include <opencc/opencc.h>

#include <memory>
#include <vector>

namespace daiban::bot::nlu {

namespace {

const opencc::SimpleConverter* make_converter(const char* config) {
    try {
        return new opencc::SimpleConverter(std::string("/usr/share/opencc/") + config);
    } catch (...) {
        return nullptr; // no OpenCC data: degrade to pass-through rather than fail start-up
    }
}

const opencc::SimpleConverter* t2s() {
    static const std::unique_ptr<const opencc::SimpleConverter> c(make_converter("t2s.json"));
    return c.get();
}

const opencc::SimpleConverter* s2t() {
    static const std::unique_ptr<const opencc::SimpleConverter> c(make_converter("s2t.json"));
    return c.get();
}

std::string convert(const opencc::SimpleConverter* c, std::string_view s) {
    if (c == nullptr || s.empty()) return std::string(s);
    try {
        return c->Convert(s.data(), s.size());
    } catch (...) {
        return std::string(s);
    }
}

// Which CJK code points t2s changes on their own. Computed once per process by converting
// every character of the two CJK blocks (one per line, so no phrase spans two characters);
// afterwards a simplified message (the common case) never pays for an OpenCC call.
constexpr char32_t cjk_lo = 0x3400, cjk_hi = 0x9FFF, compat_lo = 0xF900, compat_hi = 0xFAFF;

const std::vector<bool>& traditional_set() {
    static const std::vector<bool> set = [] {
        std::vector<bool> v(static_cast<std::size_t>(compat_hi - cjk_lo + 1), false);
        std::string all;
        std::vector<char32_t> order;
        for (char32_t c = cjk_lo; c <= compat_hi; ++c) {
            if (c > cjk_hi && c < compat_lo) continue;
            utf8::append(all, c);
            all.push_back('\n');
            order.push_back(c);
        }
        const std::string out = convert(t2s(), all);
        std::size_t line = 0, start = 0;
        for (std::size_t i = 0; i <= out.size() && line < order.size(); ++i) {
            if (i == out.size() || out[i] == '\n') {
                std::string one;
                utf8::append(one, order[line]);
                if (out.compare(start, i - start, one) != 0) v[order[line] - cjk_lo] = true;
                ++line;
                start = i + 1;
            }
        }
        return v;
    }();
    return set;
}

bool is_traditional_char(char32_t c) {
    if (c < cjk_lo || c > compat_hi) return false;
    return traditional_set()[c - cjk_lo];
}

bool is_emoji_or_symbol(char32_t c) {
    return (c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
           (c >= 0x2B00 && c <= 0x2BFF) || (c >= 0xFE00 && c <= 0xFE0F) ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x2060 && c <= 0x206F) ||
           (c >= 0xE000 && c <= 0xF8FF) || (c >= 0x2190 && c <= 0x21FF) ||
           (c >= 0x2300 && c <= 0x23FF) || (c >= 0x25A0 && c <= 0x25FF) ||
           (c >= 0xE0000 && c <= 0xE007F) || c == 0x20E3 || c == 0x3030 || c == 0x303D ||
           c == 0x3297 || c == 0x3299 || c == 0xFEFF || (c >= 0x2700 && c <= 0x27BF);
}

bool is_cjk(char32_t c) {
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}
bool is_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}
bool is_space(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000 || c == 0x2005 ||
           c == 0x00A0 || (c >= 0x2000 && c <= 0x200A);
}

// Full-width ASCII forms -> ASCII, ideographic space -> space, ASCII letters -> lower case.
char32_t fold_width(char32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
    if (c >= U'A' && c <= U'Z') c += 32;
    if (c == 0xFFE5) c = 0x00A5; // full-width yen sign
    return c;
}

// WeChat sends its emoticons as text codes like "[捂脸]" or "[OK]": drop them.
std::size_t emoticon_length(const std::u32string& s, std::size_t i) {
    if (s[i] != U'[') return 0;
    for (std::size_t j = i + 1; j < s.size() && j <= i + 5; ++j) {
        if (s[j] == U']') return j > i + 1 ? j - i + 1 : 0;
        if (!is_cjk(s[j]) && !(s[j] >= U'a' && s[j] <= U'z')) return 0;
    }
    return 0;
}

} // namespace

normalized_text normalize(std::string_view raw) {
    normalized_text r;
    if (raw.size() > max_text_bytes) raw = raw.substr(0, max_text_bytes);
    std::u32string s = utf8::decode(raw);
    for (auto& c : s)
        c = fold_width(c);

    // Remove emoticon codes and "@name " mentions (group chats put the bot's name first).
    std::u32string t;
    t.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (auto n = emoticon_length(s, i)) {
            i += n;
            continue;
        }
        if (s[i] == U'@') {
            std::size_t j = i + 1;
            while (j < s.size() && j < i + 24 && !is_space(s[j]))
                ++j;
            if (j < s.size() && is_space(s[j])) {
                i = j;
                continue;
            }
        }
        t.push_back(s[i++]);
    }

    bool traditional = false;
    for (char32_t c : t)
        if (is_traditional_char(c)) {
            traditional = true;
            break;
        }
    if (traditional) t = utf8::decode(convert(t2s(), utf8::encode(t)));
    r.traditional = traditional;

    // Fold punctuation and whitespace. Separators that carry meaning between digits (15:30,
    // 876.5, 2015-3-3, 2/15) are kept there; '~' becomes 到 so ranges read like spoken ones.
    std::u32string& out = r.text;
    out.reserve(t.size());
    auto push_space = [&] {
        if (!out.empty() && out.back() != U' ') out.push_back(U' ');
    };
    for (std::size_t i = 0; i < t.size(); ++i) {
        const char32_t c = t[i];
        const bool digit_before = i > 0 && is_digit(t[i - 1]);
        const bool digit_after = i + 1 < t.size() && is_digit(t[i + 1]);
        if (is_space(c)) {
            push_space();
        } else if (is_emoji_or_symbol(c)) {
            continue;
        } else if (c == U'~' || c == 0x301C) {
            out.push_back(U'到');
        } else if (c == U'廿' || c == U'卅') {
            // Written twenty and thirty ("廿号", "卅日"), as in dates: spelled out for the parsers.
            out.push_back(c == U'廿' ? U'二' : U'三');
            out.push_back(U'十');
        } else if (c == U':' || c == U'.' || c == U'/' || (c == U'-' && digit_before)) {
            if (digit_before && digit_after)
                out.push_back(c);
            else
                push_space();
        } else if (c == U'#' || c == U'%' || c == U'-') {
            out.push_back(c);
        } else if (c < 0x80 && !is_digit(c) && !(c >= U'a' && c <= U'z')) {
            r.question_mark = r.question_mark || c == U'?'; // "？" is width-folded to it
            push_space();                                   // other ASCII punctuation
        } else if ((c >= 0x3000 && c <= 0x303F && c != 0x3007) || (c >= 0xFF00 && c <= 0xFF65) ||
                   (c >= 0x2010 && c <= 0x205F) || c == 0x00B7) {
            push_space(); // CJK and general punctuation: ，。！？、…“”《》【】 (but keep 〇)
        } else {
            out.push_back(c);
        }
    }
    while (!out.empty() && out.back() == U' ')
        out.pop_back();
    return r;
}

std::string to_traditional(std::string_view simplified) {
    return convert(s2t(), simplified);
}
std::string to_simplified(std::string_view traditional) {
    return convert(t2s(), traditional);
}

} // namespace daiban::bot::nlu
