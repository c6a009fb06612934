// common layer: SHA-256 as lower-case hex, the one copy (OpenSSL underneath): content addresses
// of stored files, conversation hashes in logs, idempotency keys.
#pragma once

#include <string>
#include <string_view>

namespace daiban {

std::string sha256_hex(std::string_view data);

} // namespace daiban
