// bot layer, channels: OpenSSL-backed primitives (see crypto.hpp; base64 is in base64.cpp).
#include "bot/channels/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace daiban::bot::channels {

namespace {
const unsigned char* bytes_of(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

// OpenSSL 3's one-shot helpers (SHA1(), HMAC()) look their algorithm up by name on every call,
// which costs more than hashing a request body. Every request is signed, so each thread fetches
// the algorithms once and reuses its contexts (contexts are not shareable across threads).
struct thread_contexts {
    EVP_MD* sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    EVP_MD_CTX* md = EVP_MD_CTX_new();
    EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* mac = hmac ? EVP_MAC_CTX_new(hmac) : nullptr;

    thread_contexts() {
        if (!sha1 || !md || !mac) throw std::runtime_error("OpenSSL lacks SHA1 or HMAC");
        char digest[] = "SHA256";
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
            OSSL_PARAM_construct_end()};
        if (!EVP_MAC_CTX_set_params(mac, params))
            throw std::runtime_error("OpenSSL: cannot set up HMAC-SHA256");
    }
    ~thread_contexts() {
        EVP_MAC_CTX_free(mac);
        EVP_MAC_free(hmac);
        EVP_MD_CTX_free(md);
        EVP_MD_free(sha1);
    }
    thread_contexts(const thread_contexts&) = delete;
    thread_contexts& operator=(const thread_contexts&) = delete;
};

thread_contexts& contexts() {
    thread_local thread_contexts c;
    return c;
}

// The digest of the parts, hashed in order, into `md` (EVP_MAX_MD_SIZE bytes); returns its size.
std::size_t
digest_into(const EVP_MD* algorithm, std::span<const std::string_view> parts, unsigned char* md) {
    auto& c = contexts();
    unsigned int len = 0;
    bool ok = EVP_DigestInit_ex2(c.md, algorithm, nullptr);
    for (const auto p : parts)
        ok = ok && EVP_DigestUpdate(c.md, p.data(), p.size());
    if (!ok || !EVP_DigestFinal_ex(c.md, md, &len))
        throw std::runtime_error("OpenSSL digest failed");
    return len;
}

// Hex straight from the stack buffer: a SHA-1 signature is computed twice per encrypted message.
std::string digest_hex(const EVP_MD* algorithm, std::span<const std::string_view> parts) {
    unsigned char md[EVP_MAX_MD_SIZE];
    const auto n = digest_into(algorithm, parts, md);
    return to_hex(std::string_view(reinterpret_cast<const char*>(md), n));
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
    return digest_hex(contexts().sha1, std::span<const std::string_view>(&data, 1));
}

std::string sha1_hex(std::span<const std::string_view> parts) {
    return digest_hex(contexts().sha1, parts);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
    auto& c = contexts();
    std::string md(32, '\0');
    std::size_t len = 0;
    if (!EVP_MAC_init(c.mac, bytes_of(key), key.size(), nullptr) ||
        !EVP_MAC_update(c.mac, bytes_of(data), data.size()) ||
        !EVP_MAC_final(c.mac, reinterpret_cast<unsigned char*>(md.data()), &len, md.size()))
        throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
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

std::string random_bytes(std::size_t n) {
    // RAND_bytes costs about a microsecond per call whatever the size, and every encrypted reply
    // needs 16 bytes: each thread draws 4 KiB at a time and hands them out (still the CSPRNG's
    // output, each byte used once).
    thread_local std::array<unsigned char, 4096> pool;
    thread_local std::size_t used = pool.size();
    std::string out;
    out.reserve(n);
    while (out.size() < n) {
        if (used == pool.size()) {
            if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1)
                throw std::runtime_error("RAND_bytes failed: the system has no entropy source");
            used = 0;
        }
        const auto take = std::min(n - out.size(), pool.size() - used);
        out.append(reinterpret_cast<const char*>(pool.data() + used), take);
        std::fill_n(pool.data() + used, take, 0); // a byte handed out does not stay in memory
        used += take;
    }
    return out;
}

} // namespace daiban::bot::channels
