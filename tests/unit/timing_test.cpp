// Unit: the small decisions of time-driven work — when the deadline patrol runs, what a timer
// firing looks like to the dialogue, which pushes respect WeChat's 48-hour window, the test clock.
#include "bot/outbound/service_window.hpp"
#include "bot/timers/timer_worker.hpp"
#include "handlers/clock.hpp"
#include "handlers/deadlines.hpp"
#include "handlers/slots.hpp"

#include <catch2/catch.hpp>

using namespace daiban;

namespace {
std::int64_t china_ms(const char* iso, int h, int m) {
    const auto d = model::civil_date::parse_iso(iso).value();
    return (d.to_days() * 86400 + h * 3600 + m * 60 - 8 * 3600) * 1000;
}
} // namespace

TEST_CASE("the deadline patrol runs at 09:00 local — today if not yet past", "[unit][timing]") {
    CHECK(handlers::next_patrol_ms(china_ms("2026-10-20", 8, 59)) == china_ms("2026-10-20", 9, 0));
    CHECK(handlers::next_patrol_ms(china_ms("2026-10-20", 9, 0)) == china_ms("2026-10-21", 9, 0));
    // 23:30 local is already the next UTC day's 15:30: still tomorrow 09:00 local.
    CHECK(handlers::next_patrol_ms(china_ms("2026-10-20", 23, 30)) == china_ms("2026-10-21", 9, 0));
}

TEST_CASE("a claimed timer becomes an event turn in its target's private chat", "[unit][timing]") {
    state::timer t;
    t.id = "appt:12:eve";
    t.due_ms = 1'790'000'000'000;
    t.kind = "appt_eve";
    t.target = "u_lan";
    t.channel = "wechat";
    t.payload = "12|town_fk|2026-12-02|09:00";
    t.generation = 7;
    const auto turn = bot::timers::timer_turn("demo", t);
    CHECK(turn.channel == "timer");
    CHECK(turn.kind == model::turn_kind::event);
    REQUIRE(turn.event);
    CHECK(turn.event->name == "timer");
    CHECK(turn.event->key == "appt_eve|12|town_fk|2026-12-02|09:00");
    CHECK(turn.conversation_key() == "p:u_lan");
    // Retries of one firing share the id (de-duplicated); a re-armed timer is a new firing.
    CHECK(turn.id == "timer:appt:12:eve@1790000000000#7");
    t.generation = 8;
    CHECK(bot::timers::timer_turn("demo", t).id != turn.id);
}

TEST_CASE("WeChat pushes respect the 48-hour customer-service window", "[unit][timing]") {
    using bot::outbound::window_route;
    bot::replies::push p;
    p.channel = "wechat";
    p.reply.chat = {model::chat_kind::private_chat, "o_lan"};
    const std::int64_t now = 1'800'000'000;
    const auto hours = [](int h) { return std::int64_t{h} * 3600; };
    CHECK(bot::outbound::route_for_window(p, now - hours(47), now, false) == window_route::direct);
    CHECK(bot::outbound::route_for_window(p, now - hours(49), now, true) ==
          window_route::template_message);
    CHECK(bot::outbound::route_for_window(p, now - hours(49), now, false) ==
          window_route::relay_to_agent);
    CHECK(bot::outbound::route_for_window(p, std::nullopt, now, false) ==
          window_route::relay_to_agent);
    // Groups and other channels have no such window.
    auto group = p;
    group.reply.chat = {model::chat_kind::group, "g_hhl"};
    CHECK(bot::outbound::route_for_window(group, std::nullopt, now, false) == window_route::direct);
    auto hook = p;
    hook.channel = "hook";
    CHECK(bot::outbound::route_for_window(hook, std::nullopt, now, false) == window_route::direct);
}

#ifdef DAIBAN_TEST_HOOKS
TEST_CASE("the test clock is set and moved — and keeps ticking", "[unit][timing]") {
    handlers::test_clock c;
    c.set_ms(china_ms("2026-12-24", 17, 59));
    const auto set = c.now_ms() - china_ms("2026-12-24", 17, 59);
    CHECK(set >= 0);
    CHECK(set < 1000);
    c.advance_ms(2 * 3600 * 1000);
    const auto moved = c.now_ms() - china_ms("2026-12-24", 19, 59);
    CHECK(moved >= 0);
    CHECK(moved < 1000);
}
#endif
