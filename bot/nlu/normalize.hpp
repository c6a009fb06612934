// bot layer, NLU: normalisation of what residents type or dictate: full-width -> half-width,
// Traditional -> Simplified (OpenCC), emoji and WeChat emoticon codes stripped, punctuation and
// whitespace folded. Also the reverse script conversion for replies.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace daiban::bot::nlu {

// Longest input considered, in bytes (the rest is ignored): messages are short; a paste of a
// whole document must not cost more than a few microseconds per scanner.
inline constexpr std::size_t max_text_bytes = 2048;

struct normalized_text {
    std::u32string text;        // simplified, half-width, lower-case ASCII, folded
    bool traditional = false;   // the resident wrote Traditional characters
    bool question_mark = false; // a "?" or "？" was typed (folded away from `text`)
};

normalized_text normalize(std::string_view raw);

// OpenCC s2t / t2s. Converters are created once per process (they load dictionaries) and then
// shared: SimpleConverter::Convert is const and keeps no per-call state in the converter (it
// segments into a local buffer), so concurrent calls from several shards are safe. If the
// OpenCC data files are missing, text passes through unchanged.
std::string to_traditional(std::string_view simplified);
std::string to_simplified(std::string_view traditional);

} // namespace daiban::bot::nlu
