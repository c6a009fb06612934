// bot layer, console: staff passwords, hashed with Argon2id by libsodium (crypto_pwhash_str: a
// self-describing string with its salt and cost, verified in constant time). Hashing costs
// ~64 MiB and tens of milliseconds on purpose, so callers run it off the shards' threads
// (console/auth_routes.cpp uses a small pool).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace daiban::bot::console {

// The hash string to store; nullopt when libsodium cannot get the memory it needs.
std::optional<std::string> hash_password(std::string_view password);
// True when `password` matches the stored `hash`.
bool verify_password(const std::string& hash, std::string_view password);
// What a new password must satisfy, as a sentence for the person setting it; empty when fine.
std::string password_problem(std::string_view password);

} // namespace daiban::bot::console
