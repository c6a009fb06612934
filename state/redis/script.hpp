// state layer, Redis: a Lua script embedded at build time (state/lua/*.lua, see
// cmake/embed.cmake) with its SHA1, so it can be called by EVALSHA and re-sent on NOSCRIPT.
#pragma once

#include <string>
#include <string_view>

namespace daiban::state::redis {

struct script {
    std::string_view name;
    std::string_view source;
    std::string sha1; // lower-case hex, computed once at start-up

    script(std::string_view script_name, std::string_view script_source);
};

} // namespace daiban::state::redis
