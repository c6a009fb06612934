// bot layer, channels: OpenSSL-backed primitives (see crypto.hpp).
#include "bot/channels/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <stdexcept>

namespace daiban::bot::channels {

namespace {
const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
} // namespace

std::string to_hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        out[2 * i] = digits[b >> 4];
        out[2 * i + 1] = digits[b & 0xf];
    }
    return out;
}

std::string sha1_hex(std::string_view data) {
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1(bytes_of(data), data.size(), md);
    return to_hex({reinterpret_cast<const char*>(md), sizeof md});
}

std::string sha256(std::string_view data) {
    std::string md(SHA256_DIGEST_LENGTH, '\0');
    SHA256(bytes_of(data), data.size(), reinterpret_cast<unsigned char*>(md.data()));
    return md;
}

std::string sha256_hex(std::string_view data) {
    return to_hex(sha256(data));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    std::string md(EVP_MAX_MD_SIZE, '\0');
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes_of(data), data.size(),
         reinterpret_cast<unsigned char*>(md.data()), &len);
    md.resize(len);
    return md;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    return to_hex(hmac_sha256(key, data));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    // The length of a signature is public; only its content must not leak.
    if (a.size() != b.size()) return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(bytes),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    static constexpr auto valid = [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/';
    };
    std::size_t pad = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '=') {
            // Padding only in the last two positions, and nothing but padding after it.
            if (i + 2 < text.size()) return std::nullopt;
            ++pad;
        } else if (!valid(c) || pad > 0) {
            return std::nullopt;
        }
    }
    std::string out(3 * (text.size() / 4), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes_of(text),
                                  static_cast<int>(text.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts the padding as zero bytes.
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
}

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("RAND_bytes failed: the system has no entropy source");
    return out;
}

} // namespace daiban::bot::channels
