// common layer: SHA-256 (see sha256.hpp).
#include "common/sha256.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace daiban {

namespace {
// OpenSSL 3 looks the algorithm up on every one-shot call; a message hashes on the hot path (the
// request log's conversation hash), so each thread keeps the fetched algorithm and a context.
struct hasher {
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~hasher() {
        EVP_MD_CTX_free(ctx);
        EVP_MD_free(md);
    }
};
} // namespace

std::string sha256_hex(std::string_view data) {
    thread_local hasher h;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!h.md || !h.ctx || !EVP_DigestInit_ex(h.ctx, h.md, nullptr) ||
        !EVP_DigestUpdate(h.ctx, data.data(), data.size()) || !EVP_DigestFinal_ex(h.ctx, md, &len))
        throw std::runtime_error("OpenSSL SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(2 * len, '0');
    for (unsigned int i = 0; i < len; ++i) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    return out;
}

} // namespace daiban
