// state layer: the embedded Lua scripts (state/lua/*.lua, compiled in by cmake/embed.cmake).
#pragma once

#include "state/redis/script.hpp"

#include <string_view>

namespace daiban::state::lua {
extern const std::string_view begin_turn;
extern const std::string_view finish_turn;
} // namespace daiban::state::lua

namespace daiban::state::scripts {
// Each script with its SHA1, computed once.
const redis::script& begin_turn();
const redis::script& finish_turn();
} // namespace daiban::state::scripts
