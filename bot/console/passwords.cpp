// bot layer, console: passwords (see passwords.hpp).
#include "bot/console/passwords.hpp"

#include "common/utf8.hpp"

#include <sodium.h>
#include <stdexcept>

namespace daiban::bot::console {

namespace {

void init_once() {
    static const bool ok = sodium_init() >= 0;
    if (!ok) throw std::runtime_error("libsodium could not be initialised");
}

} // namespace

std::optional<std::string> hash_password(std::string_view password) {
    init_once();
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(
            out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return std::nullopt;
    return std::string(out);
}

bool verify_password(const std::string& hash, std::string_view password) {
    init_once();
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string password_problem(std::string_view password) {
    if (password.size() < 10)
        return "at least 10 characters, please (a short phrase is easy to remember)";
    if (password.size() > 256) return "at most 256 characters";
    if (!utf8::valid(password)) return "the password is not valid UTF-8";
    return {};
}

} // namespace daiban::bot::console
