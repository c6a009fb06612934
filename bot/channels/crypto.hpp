// bot layer, channels: the small cryptographic primitives every channel needs (OpenSSL 3).
// All functions are pure and thread-safe; none throws.
#pragma once

// base64_encode, append_base64 and base64_decode live there; included so callers need only this.
#include "bot/channels/base64.hpp"

#include <span>
#include <string>
#include <string_view>

namespace daiban::bot::channels {

std::string to_hex(std::string_view bytes);
std::string sha1_hex(std::string_view data);
// SHA-1 of the parts one after another (as if joined, without joining them).
std::string sha1_hex(std::span<const std::string_view> parts);
std::string hmac_sha256(std::string_view key, std::string_view data); // raw 32 bytes
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Compares without leaking, through timing, where the first difference is.
bool constant_time_equal(std::string_view a, std::string_view b);

// Cryptographically strong random bytes (RAND_bytes).
std::string random_bytes(std::size_t n);

} // namespace daiban::bot::channels
