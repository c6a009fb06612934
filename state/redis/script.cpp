// state layer, Redis: embedded Lua scripts (see script.hpp).
#include "state/redis/script.hpp"

#include <openssl/sha.h>

namespace daiban::state::redis {

script::script(std::string_view script_name, std::string_view script_source)
    : name(script_name), source(script_source) {
    unsigned char md[SHA_DIGEST_LENGTH];
    SHA1(reinterpret_cast<const unsigned char*>(source.data()), source.size(), md);
    static constexpr char digits[] = "0123456789abcdef";
    sha1.reserve(2 * SHA_DIGEST_LENGTH);
    for (unsigned char b : md) {
        sha1.push_back(digits[b >> 4]);
        sha1.push_back(digits[b & 0xf]);
    }
}

} // namespace daiban::state::redis
