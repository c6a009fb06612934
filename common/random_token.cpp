// common layer: random_token (see random_token.hpp).
#include "common/random_token.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace daiban {

std::string random_token(std::size_t bytes) {
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1)
        throw std::runtime_error("the system's random number generator failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes * 2);
    for (unsigned char b : buf) {
        out.push_back(hex[b >> 4]);
        out.push_back(hex[b & 15]);
    }
    return out;
}

} // namespace daiban
