// bot layer, channels: base64 (RFC 4648, standard alphabet, '=' padding), AVX2-accelerated when
// the CPU has it. Pure and thread-safe; nothing throws except std::string's allocation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace daiban::bot::channels {

std::string base64_encode(std::string_view bytes);
// base64_encode(bytes) appended to `out` (one buffer for a whole XML envelope).
void append_base64(std::string& out, std::string_view bytes);
// Standard alphabet with padding; whitespace is not accepted. nullopt on any malformed input.
std::optional<std::string> base64_decode(std::string_view text);

// For tests: the portable code the functions above fall back to (and finish their tails with),
// so both paths can be checked on a machine that has AVX2. Same contracts as above.
namespace base64_detail {
void scalar_append_base64(std::string& out, std::string_view bytes);
std::optional<std::string> scalar_base64_decode(std::string_view text);
// Whether base64_encode/append_base64/base64_decode take the AVX2 path on this CPU.
bool uses_avx2();
} // namespace base64_detail

} // namespace daiban::bot::channels
