// Fuzzes model::parse_agent_command (model/agent_command.cpp) on arbitrary bytes: no crash, and
// what it returns keeps the shape agent_command.hpp describes.
#include "common/utf8.hpp"
#include "fuzz_check.hpp"
#include "model/agent_command.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace daiban;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto c = model::parse_agent_command(text);
    if (!c) return 0;
    if (model::needs_case(c->what)) {
        // A case number (at most 9 digits) or a code, without '#'.
        FUZZ_CHECK(!c->ref.empty());
        FUZZ_CHECK(c->ref.front() != '#');
    } else {
        FUZZ_CHECK(c->ref.empty());
        FUZZ_CHECK(c->rest_as_typed.empty());
        if (model::takes_words(c->what))
            FUZZ_CHECK(!c->args.empty());
        else
            FUZZ_CHECK(c->args.empty());
    }
    for (const auto& w : c->args) {
        // Words: never empty, never holding the separators they were split at.
        FUZZ_CHECK(!w.empty());
        FUZZ_CHECK(w.find_first_of(" \t\n") == std::string::npos);
    }
    // Text in, text out: the words and the free text are pieces of the message, cut at
    // characters, so valid UTF-8 stays valid (they are relayed to people).
    if (utf8::valid(text)) {
        FUZZ_CHECK(utf8::valid(c->ref));
        for (const auto& w : c->args)
            FUZZ_CHECK(utf8::valid(w));
        FUZZ_CHECK(utf8::valid(c->rest_as_typed));
    }
    FUZZ_CHECK(c->rest_as_typed.size() <= text.size());
    return 0;
}
