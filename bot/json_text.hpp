// bot layer: writing JSON text directly, for the few documents built on every request (the hook
// response, the replies kept for retries). A DOM (nlohmann::json) costs a map node and a string
// copy per field; these are written straight into the output string instead.
#pragma once

#include <string>
#include <string_view>

namespace daiban::bot {

// Appends `s` as a JSON string literal (quotes included). UTF-8 passes through as it is;
// quotes, backslashes and control characters are escaped; a byte sequence that is not valid
// UTF-8 becomes U+FFFD, so the output is always valid JSON (as nlohmann's `replace` handler).
void append_json_string(std::string& out, std::string_view s);

} // namespace daiban::bot
