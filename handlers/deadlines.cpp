// handlers layer: deadline patrol and follow-up reminders (see deadlines.hpp).
#include "handlers/deadlines.hpp"

#include "handlers/case_support.hpp"
#include "handlers/slots.hpp"
#include "state/timer_store.hpp"

#include <algorithm>

namespace daiban::handlers {

namespace asio = boost::asio;
using state::case_status;

namespace {

constexpr std::int64_t day_ms = 86400LL * 1000;
constexpr int patrol_minute = 9 * 60;

bool step_done(const std::vector<state::case_event>& history,
               std::string_view what,
               const std::string& due) {
    return std::any_of(history.begin(), history.end(),
                       [&](const state::case_event& e) { return e.what == what && e.why == due; });
}

} // namespace

std::int64_t next_patrol_ms(std::int64_t now_ms) {
    const auto today = civil_date::from_unix(now_ms / 1000, china_utc_offset_minutes);
    std::int64_t at = slot{today, patrol_minute, patrol_minute}.start_unix() * 1000;
    if (at <= now_ms) at += day_ms;
    return at;
}

asio::awaitable<void> ensure_deadline_patrol(state::redis::connection& redis,
                                             const std::string& tenant,
                                             std::int64_t now_ms) {
    state::redis_timer_store timers(redis);
    const std::string id(deadline_patrol_id);
    const auto found = co_await timers.find(tenant, id);
    // Armed for its next 09:00 (or earlier, e.g. overdue while the bot was down): keep it. Armed
    // later than that (the clock was set back): bring it forward. Missing (first start): patrol
    // at once during office hours (08:00-18:00), else at the next 09:00 — nobody is chased at
    // night.
    auto next = next_patrol_ms(now_ms);
    if (found && found->due_ms <= next) co_return;
    const auto minute = (now_ms / 60000 + china_utc_offset_minutes) % 1440;
    if (!found && minute >= 8 * 60 && minute < 18 * 60) next = now_ms;
    state::timer t;
    t.id = id;
    t.due_ms = next;
    t.kind = "deadline_patrol";
    t.target = std::string(deadline_patrol_target);
    t.channel = "hook";
    co_await timers.schedule(tenant, t);
}

asio::awaitable<void> arm_followup(state::timer_store& timers,
                                   const std::string& tenant,
                                   const state::case_record& c,
                                   std::int64_t now_ms) {
    state::timer t;
    t.id = "case:" + std::to_string(c.number) + ":followup";
    t.due_ms = now_ms + 2 * day_ms;
    t.kind = "followup";
    t.target = c.chat;
    t.channel = c.channel;
    t.payload = std::to_string(c.number);
    co_await timers.schedule(tenant, t);
}

asio::awaitable<void> fire_deadline_patrol(context& ctx) {
    if (!ctx.data) co_return;
    const auto& cal = cases::calendar_of(ctx);
    const auto today = cases::today(ctx);
    const auto horizon = cal.add_working_days(today, 2);
    auto& store = ctx.stores.cases;
    // Redis trouble throws (state::store_unavailable), so the timer is retried (with backoff)
    // rather than skipped.
    const auto due = co_await store.open_cases(ctx.in.tenant, horizon.to_days());
    const auto& org = ctx.data->org_;
    for (const auto& entry : due) {
        const auto got = co_await store.get(ctx.in.tenant, entry.number);
        if (!got) continue;
        const auto& c = *got;
        if (!state::is_open(c.status) || c.status == case_status::returned || c.paused_on != 0)
            continue;
        const auto history = co_await store.history(ctx.in.tenant, c.number);
        const auto due_day = civil_date::from_days(c.due_days);
        const std::string number = "#" + std::to_string(c.number);
        const std::string due_text = cases::month_day(c.due);
        const std::string owner = cases::agent_name(ctx.data, c.owner);
        std::vector<state::case_event> steps;
        auto record = [&](std::string what) {
            steps.push_back(state::case_event{ctx.now, "bot", std::move(what), c.due});
        };
        if (today > due_day) {
            const auto* v = org.find_village(c.village);
            const auto* t = v ? org.find_township(v->township) : nullptr;
            if (t && !step_done(history, "deadline:overdue", c.due)) {
                auto at = cases::group_mention(ctx, t->supervisor);
                ctx.tell({chat_kind::group, t->group},
                         ctx.text.format("deadline_overdue", {{"case", number},
                                                              {"service", c.service_name},
                                                              {"due", due_text},
                                                              {"owner", owner}}),
                         at);
                record("deadline:overdue");
            }
            if (today >= cal.add_working_days(due_day, 3) &&
                !step_done(history, "deadline:county", c.due) && !org.county_group.empty()) {
                auto at = cases::group_mention(ctx, org.county_admin);
                ctx.tell({chat_kind::group, org.county_group},
                         ctx.text.format("deadline_county", {{"case", number},
                                                             {"service", c.service_name},
                                                             {"due", due_text},
                                                             {"owner", owner}}),
                         at);
                record("deadline:county");
            }
        } else if (today >= cal.add_working_days(due_day, -2) &&
                   !step_done(history, "deadline:soon", c.due)) {
            // The owner's private chat on the first channel the tenant and the owner share (a
            // timer turn has no channel of its own to answer on: see context::staff_channels).
            // No id anywhere: nothing is sent, and the step stays open for the next patrol.
            if (auto reach = cases::private_reach(ctx, c.owner)) {
                ctx.tell({chat_kind::private_chat, reach->id},
                         ctx.text.format(
                             "deadline_soon",
                             {{"case", number}, {"service", c.service_name}, {"due", due_text}}),
                         {}, reach->channel);
                record("deadline:soon");
            }
        }
        for (const auto& e : steps)
            co_await store.record(ctx.in.tenant, c.number, e);
    }
    co_await patrol_ticket_deadlines(ctx);
    // The next patrol (this one is settled by the worker once its turn is done; re-arming the
    // same id here would make the worker's settle a no-op, which is what we want).
    auto& timers = ctx.stores.timers;
    state::timer next;
    next.id = std::string(deadline_patrol_id);
    next.due_ms = next_patrol_ms(ctx.now_ms);
    next.kind = "deadline_patrol";
    next.target = std::string(deadline_patrol_target);
    next.channel = "hook";
    co_await timers.schedule(ctx.in.tenant, next);
}

asio::awaitable<void> fire_followup(context& ctx, const std::string& payload) {
    if (!ctx.data) co_return;
    std::int64_t number = 0;
    for (char ch : payload) {
        if (ch < '0' || ch > '9') co_return;
        number = number * 10 + (ch - '0');
    }
    auto& store = ctx.stores.cases;
    const auto got = co_await store.get(ctx.in.tenant, number); // a failure throws: retried
    // Rated (or reopened, cancelled) meanwhile: nothing to ask.
    if (!got || got->status != case_status::done) co_return;
    ctx.say(ctx.text.format("remind_followup_again", {{"service", got->service_name}}));
    // (Built before co_await: GCC 12 miscompiles braced temporaries inside co_await.)
    const state::case_event reminded{ctx.now, "bot", "followup:reminded", ""};
    try {
        co_await store.record(ctx.in.tenant, number, reminded);
    } catch (const state::store_unavailable&) {
        // Best effort, as before: the reminder is said; a failed timer turn would be retried and
        // say it twice.
    }
}

} // namespace daiban::handlers
