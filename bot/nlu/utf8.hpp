// bot layer, NLU: UTF-8 <-> UTF-32 conversion. The NLU scans text one character at a time
// (dates, numbers, the automaton), so it works on std::u32string internally.
#pragma once

#include <string>
#include <string_view>

namespace daiban::bot::nlu {

// Decodes UTF-8; malformed or overlong sequences and surrogates are dropped (never throws),
// so arbitrary bytes from a socket cannot derail the scanners that follow.
std::u32string utf8_decode(std::string_view s);
std::string utf8_encode(std::u32string_view s);
void utf8_append(std::string& out, char32_t c);

} // namespace daiban::bot::nlu
