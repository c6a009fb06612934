// Fuzzes the JSON hook's parser and validator (bot/channels/json_hook.cpp: parse_hook_body, the
// pure part of POST /hook/{tenant}) on arbitrary bytes: no crash, no exception, and a turn it
// accepts keeps the promises the route relies on (valid UTF-8 text, the length caps, a chat).
#include "bot/channels/json_hook.hpp"
#include "common/utf8.hpp"
#include "fuzz_check.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

using namespace daiban;
using namespace daiban::bot::channels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    const auto parsed = parse_hook_body(body);
    if (const auto* err = std::get_if<hook_error>(&parsed)) {
        FUZZ_CHECK(!err->detail.empty());
        // The error is sent back in a JSON response: it must be text.
        FUZZ_CHECK(utf8::valid(err->field) && utf8::valid(err->detail));
        return 0;
    }
    const auto& t = std::get<model::turn>(parsed);
    FUZZ_CHECK(utf8::valid(body));
    FUZZ_CHECK(t.channel == "hook");
    FUZZ_CHECK(t.tenant.empty());
    FUZZ_CHECK(!t.id.empty() && t.id.size() <= 128);
    FUZZ_CHECK(!t.chat.id.empty() && t.chat.id.size() <= 128);
    FUZZ_CHECK(!t.from_id.empty() && t.from_id.size() <= 128);
    FUZZ_CHECK(t.from_name.size() <= 256);
    FUZZ_CHECK(t.text.size() <= 32 * 1024);
    if (t.chat.kind == model::chat_kind::private_chat) FUZZ_CHECK(t.chat.id == t.from_id);
    for (const auto* s : {&t.id, &t.chat.id, &t.from_id, &t.from_name, &t.text})
        FUZZ_CHECK(utf8::valid(*s));
    if (t.kind == model::turn_kind::text) FUZZ_CHECK(!t.text.empty());
    if (t.media) {
        FUZZ_CHECK(t.media->url.empty() != t.media->data.empty()); // exactly one of them
        FUZZ_CHECK(t.media->data.size() <= 2 * 1024 * 1024);
        if (!t.media->url.empty())
            FUZZ_CHECK(t.media->url.starts_with("http://") || t.media->url.starts_with("https://"));
    }
    if (t.location) {
        FUZZ_CHECK(std::isfinite(t.location->lat) && std::isfinite(t.location->lng));
        FUZZ_CHECK(t.location->lat >= -90 && t.location->lat <= 90);
        FUZZ_CHECK(t.location->lng >= -180 && t.location->lng <= 180);
    }
    if (t.event) FUZZ_CHECK(!t.event->name.empty());
    // The route hashes the conversation key; it must be computable for any accepted turn.
    (void)t.conversation_key();
    return 0;
}
