// handlers layer: a durable timer firing (bot/timers/timer_worker). The turn's event key is
// "<kind>|<payload>"; each kind checks that what it is about still holds before it speaks (a
// moved or cancelled appointment's old reminder stays silent). The turn's chat is the private
// chat of the timer's target; replies become pushes.
#include "handlers/appointments.hpp"
#include "handlers/campaigns.hpp"
#include "handlers/deadlines.hpp"
#include "handlers/registry.hpp"
#include "handlers/tickets.hpp"

namespace daiban::handlers {

namespace {

boost::asio::awaitable<void> appointment_eve(context& ctx, const std::string& payload) {
    co_await fire_appointment_reminder(ctx, "appt_eve", payload);
}
boost::asio::awaitable<void> appointment_hour(context& ctx, const std::string& payload) {
    co_await fire_appointment_reminder(ctx, "appt_hour", payload);
}
boost::asio::awaitable<void> deadline_patrol(context& ctx, const std::string&) {
    co_await fire_deadline_patrol(ctx);
}

// Timer kinds (the part of the key before '|', stored in Redis with each timer) and what fires.
struct timer_kind {
    std::string_view name;
    boost::asio::awaitable<void> (*fire)(context&, const std::string& payload);
};
constexpr timer_kind timer_kinds[] = {
    {"appt_eve", &appointment_eve},
    {"appt_hour", &appointment_hour},
    {"deadline_patrol", &deadline_patrol},
    {"followup", &fire_followup},
    {"emergency_unacked", &fire_emergency_unacked},
    {"campaign_notice", &fire_campaign_notice},
    {"campaign_remind", &fire_campaign_remind},
    {"campaign_final", &fire_campaign_final},
};

} // namespace

boost::asio::awaitable<void> handle_timer(context& ctx) {
    if (!ctx.in.event) co_return;
    const auto& key = ctx.in.event->key;
    const auto bar = key.find('|');
    const std::string_view kind = std::string_view(key).substr(0, bar);
    const std::string payload = bar == std::string::npos ? std::string() : key.substr(bar + 1);
    for (const auto& k : timer_kinds)
        if (k.name == kind) {
            co_await k.fire(ctx, payload);
            co_return;
        }
    // Unknown kinds (from a newer version, or retired): nothing to say; the timer is done.
}

} // namespace daiban::handlers
