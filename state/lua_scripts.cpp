// state layer: one `redis::script` per embedded Lua file, hashed on first use.
#include "state/lua_scripts.hpp"

namespace daiban::state::scripts {

const redis::script& webhook_reserve() {
    static const redis::script s("webhook_reserve", lua::webhook_reserve);
    return s;
}
const redis::script& timer_schedule() {
    static const redis::script s("timer_schedule", lua::timer_schedule);
    return s;
}
const redis::script& timer_cancel() {
    static const redis::script s("timer_cancel", lua::timer_cancel);
    return s;
}
const redis::script& timer_claim() {
    static const redis::script s("timer_claim", lua::timer_claim);
    return s;
}
const redis::script& timer_settle() {
    static const redis::script s("timer_settle", lua::timer_settle);
    return s;
}
const redis::script& appt_book() {
    static const redis::script s("appt_book", lua::appt_book);
    return s;
}
const redis::script& appt_move() {
    static const redis::script s("appt_move", lua::appt_move);
    return s;
}
const redis::script& appt_cancel() {
    static const redis::script s("appt_cancel", lua::appt_cancel);
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
const redis::script& outbox_enqueue() {
    static const redis::script s("outbox_enqueue", lua::outbox_enqueue);
    return s;
}
const redis::script& outbox_done() {
    static const redis::script s("outbox_done", lua::outbox_done);
    return s;
}
const redis::script& outbox_fail() {
    static const redis::script s("outbox_fail", lua::outbox_fail);
    return s;
}
const redis::script& outbox_promote() {
    static const redis::script s("outbox_promote", lua::outbox_promote);
    return s;
}
const redis::script& compare_delete() {
    static const redis::script s("compare_delete", lua::compare_delete);
    return s;
}
const redis::script& claim_takeover() {
    static const redis::script s("claim_takeover", lua::claim_takeover);
    return s;
}
const redis::script& turn_pass() {
    static const redis::script s("turn_pass", lua::turn_pass);
    return s;
}
const redis::script& turn_commit() {
    static const redis::script s("turn_commit", lua::turn_commit);
    return s;
}

const redis::script& ticket_open() {
    static const redis::script s("ticket_open", lua::ticket_open);
    return s;
}
const redis::script& ticket_change() {
    static const redis::script s("ticket_change", lua::ticket_change);
    return s;
}

const redis::script& campaign_open() {
    static const redis::script s("campaign_open", lua::campaign_open);
    return s;
}
const redis::script& campaign_answer() {
    static const redis::script s("campaign_answer", lua::campaign_answer);
    return s;
}
const redis::script& campaign_close() {
    static const redis::script s("campaign_close", lua::campaign_close);
    return s;
}

const std::vector<const redis::script*>& all() {
    static const std::vector<const redis::script*> every{
        &timer_schedule(), &webhook_reserve(), &timer_cancel(),    &timer_claim(),
        &timer_settle(),   &appt_book(),       &appt_move(),       &appt_cancel(),
        &open_case(),      &case_transition(), &case_claim(),      &case_attach(),
        &case_review(),    &outbox_enqueue(),  &outbox_done(),     &outbox_fail(),
        &outbox_promote(), &compare_delete(),  &claim_takeover(),  &ticket_open(),
        &ticket_change(),  &campaign_open(),   &campaign_answer(), &campaign_close(),
        &turn_pass(),      &turn_commit()};
    return every;
}

} // namespace daiban::state::scripts
