// handlers layer: a durable timer firing (bot/timers/timer_worker). The turn's event key is
// "<kind>|<payload>"; each kind checks that what it is about still holds before it speaks (a
// moved or cancelled appointment's old reminder stays silent). The turn's chat is the private
// chat of the timer's target; replies become pushes.
#include "handlers/appointments.hpp"
#include "handlers/deadlines.hpp"
#include "handlers/registry.hpp"

namespace daiban::handlers {

boost::asio::awaitable<void> handle_timer(context& ctx) {
    if (!ctx.in.event) co_return;
    const auto& key = ctx.in.event->key;
    const auto bar = key.find('|');
    const std::string kind = key.substr(0, bar);
    const std::string payload = bar == std::string::npos ? std::string() : key.substr(bar + 1);
    if (kind == "appt_eve" || kind == "appt_hour") {
        co_await fire_appointment_reminder(ctx, kind, payload);
        co_return;
    }
    if (kind == "deadline_patrol") {
        co_await fire_deadline_patrol(ctx);
        co_return;
    }
    if (kind == "followup") {
        co_await fire_followup(ctx, payload);
        co_return;
    }
    // Unknown kinds (from a newer version, or retired): nothing to say; the timer is done.
}

} // namespace daiban::handlers
