// handlers layer: the answer deadlines of complaints, suggestions and consultations, watched by
// the daily deadline patrol (deadlines.cpp) beside the cases'. Each step happens once per due
// date and is recorded in the ticket's history (why = the due date):
//   - one working day before the due date, still unanswered: the owner is reminded privately;
//   - past the due date, still unanswered: the county is told in its group (督办) — the owner of
//     a complaint is already the township's supervisor, so the next level up is the county.
// Emergencies have no due date (their clock is minutes: emergencies.cpp).
#include "handlers/case_support.hpp"
#include "handlers/deadlines.hpp"
#include "state/ticket_store.hpp"

#include <algorithm>

namespace daiban::handlers {

namespace asio = boost::asio;

namespace {

bool step_done(const std::vector<state::ticket_event>& history,
               std::string_view what,
               const std::string& due) {
    return std::any_of(history.begin(), history.end(), [&](const state::ticket_event& e) {
        return e.what == what && e.why == due;
    });
}

std::string_view kind_key(state::ticket_kind k) {
    switch (k) {
    case state::ticket_kind::complaint:
        return "voice_complaint";
    case state::ticket_kind::suggestion:
        return "voice_suggestion";
    default:
        return "ticket_consultation";
    }
}

} // namespace

asio::awaitable<void> patrol_ticket_deadlines(context& ctx) {
    if (!ctx.data) co_return;
    const auto& cal = cases::calendar_of(ctx);
    const auto today = cases::today(ctx);
    const auto& org = ctx.data->org_;
    auto& store = ctx.stores.tickets;
    for (const auto n : co_await store.open_tickets(ctx.in.tenant)) {
        const auto t = co_await store.get(ctx.in.tenant, n);
        // Only what waits for an answer: open and with a due date (an emergency has none).
        if (!t || t->status != state::ticket_status::open || t->due_days == 0) continue;
        const auto due_day = civil_date::from_days(t->due_days);
        const bool overdue = today > due_day;
        if (!overdue && today < cal.add_working_days(due_day, -1)) continue;
        const auto history = co_await store.history(ctx.in.tenant, n);
        const std::vector<std::pair<std::string_view, std::string>> values = {
            {"kind", ctx.text.get(kind_key(t->kind))},
            {"number", std::to_string(n)},
            {"text", t->text},
            {"due", cases::month_day(t->due)},
            {"owner", cases::agent_name(ctx.data, t->owner)}};
        std::string step;
        if (overdue && !step_done(history, "deadline:overdue", t->due) &&
            !org.county_group.empty()) {
            ctx.tell({chat_kind::group, org.county_group},
                     ctx.text.format("ticket_overdue", values),
                     cases::group_mention(ctx, org.county_admin));
            step = "deadline:overdue";
        } else if (!overdue && !step_done(history, "deadline:soon", t->due)) {
            // No private chat known for the owner: the step stays open for the next patrol.
            if (auto reach = cases::private_reach(ctx, t->owner)) {
                ctx.tell({chat_kind::private_chat, reach->id},
                         ctx.text.format("ticket_due_soon", values), {}, reach->channel);
                step = "deadline:soon";
            }
        }
        if (step.empty()) continue;
        state::ticket_change c;
        c.event = {ctx.now, "bot", step, t->due};
        co_await store.change(ctx.in.tenant, n, c);
    }
}

} // namespace daiban::handlers
