// handlers layer: 限时办结 → 催办 → 督办, and 回访's one reminder. Deadlines are watched by one
// durable timer per tenant, the deadline patrol, which fires every day at 09:00 (local) and looks
// at the open cases due within two working days (the case store's due index). For each case,
// each step happens once per due date and is recorded in the case history ("deadline:soon",
// "deadline:overdue", "deadline:county", why = the due date):
//   - two working days before the due date: the owner is reminded (催办), privately;
//   - past the due date: the township supervisor is told in the township group (督办);
//   - three working days after that: the county administrator, in the county group.
// A case waiting on the resident (returned, 补正) is skipped: its clock is paused, and the case
// handlers move its due date by the paused working days when it resumes, so the steps follow the
// new date. Follow-up: when a case is done the resident is asked to rate it (cases handlers); the
// "followup" timer, two days later, asks once more if no rating came; nothing after that.
#pragma once

#include "handlers/context.hpp"
#include "state/case_store.hpp"

#include <boost/asio/awaitable.hpp>

namespace daiban::handlers {

// The patrol's conversation (its timer turns run there, one at a time).
inline constexpr std::string_view deadline_patrol_target = "sys:deadlines";
inline constexpr std::string_view deadline_patrol_id = "deadline:patrol";

// The next patrol instant (unix ms) after `now_ms`: 09:00 local of today or tomorrow.
std::int64_t next_patrol_ms(std::int64_t now_ms);
// Arms the tenant's patrol at next_patrol_ms unless it is armed already. A failure throws
// state::store_unavailable (the timer worker tries again on its next tick).
boost::asio::awaitable<void> ensure_deadline_patrol(state::redis::connection& redis,
                                                    const std::string& tenant,
                                                    std::int64_t now_ms);

// The patrol's pass over complaints, suggestions and consultations (ticket_deadlines.cpp).
boost::asio::awaitable<void> patrol_ticket_deadlines(context& ctx);

// Arms the follow-up reminder of a case just done (two days later). A failure throws
// state::store_unavailable.
boost::asio::awaitable<void> arm_followup(state::timer_store& timers,
                                          const std::string& tenant,
                                          const state::case_record& c,
                                          std::int64_t now_ms);

// Timer handlers' parts (timers.cpp dispatches by kind).
boost::asio::awaitable<void> fire_deadline_patrol(context& ctx);
boost::asio::awaitable<void> fire_followup(context& ctx, const std::string& payload);

} // namespace daiban::handlers
