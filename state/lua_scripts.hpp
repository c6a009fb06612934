// state layer: the embedded Lua scripts (state/lua/*.lua, compiled in by cmake/embed.cmake).
#pragma once

#include "state/redis/script.hpp"

#include <string_view>
#include <vector>

namespace daiban::state::lua {
extern const std::string_view timer_schedule;
extern const std::string_view webhook_reserve;
extern const std::string_view timer_cancel;
extern const std::string_view timer_claim;
extern const std::string_view timer_settle;
extern const std::string_view appt_book;
extern const std::string_view appt_move;
extern const std::string_view appt_cancel;
extern const std::string_view open_case;
extern const std::string_view case_transition;
extern const std::string_view case_claim;
extern const std::string_view case_attach;
extern const std::string_view case_review;
extern const std::string_view outbox_enqueue;
extern const std::string_view outbox_done;
extern const std::string_view outbox_fail;
extern const std::string_view outbox_promote;
extern const std::string_view compare_delete;
extern const std::string_view claim_takeover;
extern const std::string_view turn_pass;
extern const std::string_view turn_commit;
extern const std::string_view ticket_open;
extern const std::string_view ticket_change;
extern const std::string_view campaign_open;
extern const std::string_view campaign_answer;
extern const std::string_view campaign_close;
} // namespace daiban::state::lua

namespace daiban::state::scripts {
// Each script with its SHA1, computed once.
// Timers and appointments (state/timer_store, state/appointment_store).
const redis::script& timer_schedule();
const redis::script& webhook_reserve();
const redis::script& timer_cancel();
const redis::script& timer_claim();
const redis::script& timer_settle();
const redis::script& appt_book();
const redis::script& appt_move();
const redis::script& appt_cancel();
// Cases (state/case_store).
const redis::script& open_case();
const redis::script& case_transition();
const redis::script& case_claim();
const redis::script& case_attach();
const redis::script& case_review();
const redis::script& outbox_enqueue();
const redis::script& outbox_done();
const redis::script& outbox_fail();
const redis::script& outbox_promote();
const redis::script& compare_delete();
// Turn claims whose owner died (state/conversation_store).
const redis::script& claim_takeover();
// A conversation's turns in order across replicas (state/turn_queue), and the fenced record of a
// turn (state/conversation_store).
const redis::script& turn_pass();
const redis::script& turn_commit();
// Tickets (state/ticket_store).
const redis::script& ticket_open();
const redis::script& ticket_change();
// Campaigns (state/campaign_store).
const redis::script& campaign_open();
const redis::script& campaign_answer();
const redis::script& campaign_close();

// Every script above, once: for checks that must reach each one (tests/integration/
// lua_keys_test.cpp asserts that every file in state/lua/ is here and was run).
const std::vector<const redis::script*>& all();
} // namespace daiban::state::scripts
