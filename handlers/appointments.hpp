// handlers layer: what appointments share with the timer handler (reminders): how a booking is
// described to a resident and which reminders it has. Reminders are durable timers with fixed ids
// per booking, so a reschedule re-arms them (same ids, new times) and a cancel disarms them.
#pragma once

#include "handlers/context.hpp"
#include "state/appointment_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace daiban::handlers {

// "11月25日（周三）上午09:00"
std::string when_text(civil_date d, int minute);
// The originals to bring for `item`: every material but plain information, "、"-joined.
std::string originals_text(const service_item& item);

// The reminder timers of booking `id`: the evening before (18:00 local) and one hour before.
std::vector<std::string> reminder_ids(const std::string& appointment_id);
// Arms the reminders of `a` that are still in the future at `now_ms`, disarming those that are
// not (a booking made at 20:00 for tomorrow gets only the one-hour reminder). A failure throws
// state::store_unavailable.
boost::asio::awaitable<void> arm_reminders(state::timer_store& timers,
                                           const std::string& tenant,
                                           const state::appointment& a,
                                           std::int64_t now_ms);

// The timer handler's part for reminders ("appt_eve" / "appt_hour"): says nothing unless the
// booking is still active at the slot the reminder was armed for.
boost::asio::awaitable<void>
fire_appointment_reminder(context& ctx, const std::string& kind, const std::string& payload);

} // namespace daiban::handlers
