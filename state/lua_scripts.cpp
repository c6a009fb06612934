// state layer: one `redis::script` per embedded Lua file, hashed on first use.
#include "state/lua_scripts.hpp"

namespace daiban::state::scripts {

const redis::script& begin_turn() {
    static const redis::script s("begin_turn", lua::begin_turn);
    return s;
}
const redis::script& finish_turn() {
    static const redis::script s("finish_turn", lua::finish_turn);
    return s;
}

} // namespace daiban::state::scripts
