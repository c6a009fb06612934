// common layer: unguessable tokens (one-time sign-in links, console sessions, CSRF tokens) from
// the operating system's CSPRNG through OpenSSL, as lower-case hex.
#pragma once

#include <cstddef>
#include <string>

namespace daiban {

// `bytes` random bytes as 2*bytes hex characters. Throws std::runtime_error when the CSPRNG
// cannot deliver (never silently weaker).
std::string random_token(std::size_t bytes = 32);

} // namespace daiban
