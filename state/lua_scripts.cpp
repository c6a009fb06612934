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

const redis::script& open_case() {
    static const redis::script s("open_case", lua::open_case);
    return s;
}
const redis::script& case_transition() {
    static const redis::script s("case_transition", lua::case_transition);
    return s;
}
const redis::script& case_claim() {
    static const redis::script s("case_claim", lua::case_claim);
    return s;
}
const redis::script& case_attach() {
    static const redis::script s("case_attach", lua::case_attach);
    return s;
}
const redis::script& case_review() {
    static const redis::script s("case_review", lua::case_review);
    return s;
}

} // namespace daiban::state::scripts
