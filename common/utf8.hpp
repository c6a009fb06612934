// common layer: UTF-8, the one copy. Everything that reads text from outside — the JSON hook, the
// WeChat XML reader, the JSON writer, the NLU's scanners — tells valid text from bytes that only
// look like it by the same rule (RFC 3629: no overlong forms, no UTF-16 surrogates, nothing above
// U+10FFFF).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace daiban::utf8 {

// Length of the valid UTF-8 sequence starting at s[i] (1–4), or 0 if none starts there.
inline std::size_t sequence_length(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) return 0;
        if (c == 0xE0 && b(1) < 0xA0) return 0; // overlong
        if (c == 0xED && b(1) > 0x9F) return 0; // UTF-16 surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) return 0;
        if (c == 0xF0 && b(1) < 0x90) return 0; // overlong
        if (c == 0xF4 && b(1) > 0x8F) return 0; // past U+10FFFF
        return 4;
    }
    return 0;
}

// Is all of `s` valid UTF-8?
bool valid(std::string_view s);

// Decodes UTF-8 to code points; invalid sequences (overlong, surrogates, stray bytes, a cut-off
// tail) are skipped byte by byte, never thrown on, so arbitrary bytes from a socket cannot derail
// the scanners that follow.
std::u32string decode(std::string_view s);
std::string encode(std::u32string_view s);
void append(std::string& out, char32_t c);

} // namespace daiban::utf8
