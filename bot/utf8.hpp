// bot layer: UTF-8 validation shared by the JSON writer and the WeChat XML reader — both must
// tell valid text from bytes that only look like it (RFC 3629: no overlong forms, no UTF-16
// surrogates, nothing above U+10FFFF).
#pragma once

#include <cstddef>
#include <string_view>

namespace daiban::bot::utf8 {

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

} // namespace daiban::bot::utf8
