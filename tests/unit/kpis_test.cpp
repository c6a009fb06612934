// Unit: the figures (handlers/kpis) on a seeded data set whose figures were worked out by hand,
// and 统计 through the turn loop: what a village agent, a township supervisor and the county see,
// narrowed by period and village.
#include "handler_harness.hpp"
#include "handlers/kpis.hpp"
#include "reply_checks.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace daiban;
using daiban::test::handler_harness;
using namespace daiban::test::checks;
using person = handler_harness::person;
namespace kpis = daiban::handlers::kpis;

namespace {

// 2026-11-23 00:00 in mainland time, and its day number.
constexpr std::int64_t day0_s = 1'795'363'200;
const std::int64_t day0 = model::civil_date{2026, 11, 23}.to_days();
constexpr std::int64_t hour = 3600;
constexpr std::int64_t day = 86400;

state::case_record a_case(std::int64_t opened_day, std::int64_t due_day) {
    state::case_record c;
    c.village = "hhl";
    c.owner = "a_hhl_1";
    c.opened_at = day0_s + opened_day * day + 10 * hour;
    c.due_days = day0 + due_day;
    return c;
}

state::case_record done(state::case_record c, std::int64_t done_day, int rating) {
    c.status = rating > 0 ? state::case_status::rated : state::case_status::done;
    c.done_at = day0_s + done_day * day + 16 * hour;
    c.rating = rating;
    return c;
}

state::ticket_record a_ticket(state::ticket_kind kind) {
    state::ticket_record t;
    t.kind = kind;
    t.village = "hhl";
    t.township = "fk";
    t.owner = "a_fk_sup";
    t.reported_at = day0_s + 9 * hour;
    return t;
}

const person resident{"u_zhao", "赵桂兰"};
const person agent_hhl_1{"u_agent_hhl_1", "李春生"};
const person agent_cl_1{"u_agent_cl_1", "蒋文秀"};
const person supervisor{"u_agent_fk_sup", "刘振国"};
const person admin{"u_agent_admin", "韩雪梅"};
const person neighbour{"u_sun", "孙大娘"};

} // namespace

TEST_CASE("kpis count cases by village township county and agent as worked out by hand",
          "[unit][kpis]") {
    handler_harness h;
    const auto& data = h.data();
    const auto today = day0 + 20;
    kpis::report r;
    kpis::add(r, data, done(a_case(0, 5), 3, 5), today); // on time, satisfied, 3 days + 6 h
    kpis::add(r, data, done(a_case(0, 2), 4, 2), today); // late, unhappy, 4 days + 6 h
    auto taken = done(a_case(1, 8), 2, 0);               // on time, not rated, 1 day + 6 h
    taken.claimed_by = "a_hhl_2";
    kpis::add(r, data, taken, today);
    kpis::add(r, data, a_case(2, 10), today); // open, past due: overdue
    auto paused = a_case(2, 10);              // open, past due, waiting on the resident (补正)
    paused.status = state::case_status::returned;
    paused.paused_on = day0 + 4;
    kpis::add(r, data, paused, today);
    auto cancelled = a_case(3, 9);
    cancelled.status = state::case_status::cancelled;
    kpis::add(r, data, cancelled, today);

    const auto& v = r.of(kpis::village_scope("hhl")).cases;
    CHECK(v.received == 5);
    CHECK(v.done == 3);
    CHECK(v.done_on_time == 2);
    CHECK(v.open == 2);
    CHECK(v.overdue == 1);
    CHECK(v.rated == 2);
    CHECK(v.satisfied == 1);
    CHECK(kpis::rate(v.done, v.received) == Approx(0.6));
    CHECK(kpis::rate(v.done_on_time, v.done) == Approx(2.0 / 3));
    CHECK(kpis::rate(v.rated, v.done) == Approx(2.0 / 3));  // 回访率
    CHECK(kpis::rate(v.satisfied, v.rated) == Approx(0.5)); // 满意率
    // (3.25 + 4.25 + 1.25) / 3 days
    CHECK(kpis::mean_handling_days(v) == Approx(8.75 / 3));
    // The township and the county hold the same cases; the village next door none.
    CHECK(r.of(kpis::township_scope("fk")).cases.received == 5);
    CHECK(r.of(kpis::county_scope()).cases.done == 3);
    CHECK(r.of(kpis::village_scope("cl")).cases.received == 0);
    CHECK_FALSE(kpis::rate(0, 0)); // a rate of nothing is not 0%
    // The agent who took a case answers for it; the first owner for the rest.
    CHECK(r.of(kpis::agent_scope("a_hhl_2")).cases.received == 1);
    CHECK(r.of(kpis::agent_scope("a_hhl_1")).cases.received == 4);
}

TEST_CASE("kpis time emergencies and count answers on time", "[unit][kpis]") {
    handler_harness h;
    const auto& data = h.data();
    const auto today = day0 + 20;
    kpis::report r;
    for (std::int64_t ack : {60, 300, 1200, 0}) {
        auto e = a_ticket(state::ticket_kind::emergency);
        if (ack > 0) {
            e.acknowledged_at = e.reported_at + ack;
            e.acknowledged_by = "a_hhl_2";
        }
        if (ack == 60) e.on_site_at = e.reported_at + 1800;
        if (ack == 300) e.on_site_at = e.reported_at + 2400;
        kpis::add(r, data, e, today);
    }
    auto false_alarm = a_ticket(state::ticket_kind::emergency);
    false_alarm.status = state::ticket_status::withdrawn;
    kpis::add(r, data, false_alarm, today);

    auto answered = a_ticket(state::ticket_kind::complaint);
    answered.status = state::ticket_status::answered;
    answered.due_days = day0 + 5;
    answered.answered_at = day0_s + 4 * day + 15 * hour;
    kpis::add(r, data, answered, today);
    auto waiting = a_ticket(state::ticket_kind::complaint);
    waiting.due_days = day0 + 5; // past due, unanswered
    kpis::add(r, data, waiting, today);
    auto late = a_ticket(state::ticket_kind::consultation);
    late.status = state::ticket_status::answered;
    late.due_days = day0 + 3;
    late.answered_at = day0_s + 6 * day;
    kpis::add(r, data, late, today);

    const auto& f = r.of(kpis::township_scope("fk"));
    CHECK(f.emergencies.reported == 4);
    CHECK(kpis::percentile(f.emergencies.ack_seconds, 50) == 300);
    CHECK(kpis::percentile(f.emergencies.ack_seconds, 90) == 1200);
    CHECK(kpis::percentile(f.emergencies.on_site_seconds, 50) == 1800);
    CHECK(kpis::percentile(f.emergencies.on_site_seconds, 90) == 2400);
    CHECK_FALSE(kpis::percentile({}, 50));
    CHECK(f.complaints.received == 2);
    CHECK(f.complaints.answered == 1);
    CHECK(f.complaints.answered_on_time == 1);
    CHECK(f.complaints.overdue == 1);
    CHECK(f.consultations.answered == 1);
    CHECK(f.consultations.answered_on_time == 0);
    // An emergency counts for whoever acknowledged it; the others for their owner.
    CHECK(r.of(kpis::agent_scope("a_hhl_2")).emergencies.reported == 3);
    CHECK(r.of(kpis::agent_scope("a_fk_sup")).complaints.received == 2);
}

TEST_CASE("kpis count campaign households answered and answered by the deadline", "[unit][kpis]") {
    handler_harness h;
    state::campaign_record c;
    c.number = 1;
    c.deadline_days = day0 + 10;
    c.started_at = day0_s;
    c.roster = {{"h1", "王德福", "hhl", "a_hhl_1", "hook", "u_wang", ""},
                {"h2", "赵长山", "hhl", "a_hhl_2", "hook", "u_zhao_cs", ""},
                {"h3", "陈秀英", "hhl", "a_hhl_2", "", "", "13900000000"}};
    c.answers["h1"] = {day0_s + 2 * day, "hook:u_wang", "57.3", ""};
    c.answers["h2"] = {day0_s + 12 * day, "a_hhl_2", "", ""}; // after the deadline
    kpis::report r;
    kpis::add(r, h.data(), c);
    const auto& v = r.of(kpis::village_scope("hhl")).campaigns;
    CHECK(v.campaigns == 1);
    CHECK(v.members == 3);
    CHECK(v.answered == 2);
    CHECK(v.answered_in_time == 1);
    CHECK(r.of(kpis::county_scope()).campaigns.members == 3);
    // Each contact cadre answers for their own households.
    CHECK(r.of(kpis::agent_scope("a_hhl_2")).campaigns.members == 2);
    CHECK(r.of(kpis::agent_scope("a_hhl_2")).campaigns.answered == 1);
}

TEST_CASE("统计 shows each agent their scope with 按时办结率 and 回访率",
          "[unit][kpis][handlers]") {
    handler_harness h;
    // One case done and rated, one left open past its due day.
    h.say(resident, "我妈住院了，想办民政二次救助");
    h.say(resident, "黄花岭村");
    h.say_in_group("g_hhl", agent_hhl_1, "办结 1 救助金已到账");
    h.say(resident, "5");
    h.say(resident, "还要帮我补办户口本");
    h.now_ms += 25 * day * 1000; // 2026-12-18: case 2 is past its due day

    auto r = h.say_in_group("g_hhl", agent_hhl_1, "统计");
    auto text = said_to(r, "g_hhl");
    INFO(text);
    CHECK(has(text, "累计统计"));
    CHECK(has(text, "【黄花岭村】受理 2 件，办结 1 件（办结率 50.0%，按时办结率 100.0%），在办 1 "
                    "件，超期 1 件"));
    CHECK(has(text, "满意率 100.0%（1 件评价，回访率 100.0%）"));
    CHECK(has(text, "【您经手】受理 2 件"));
    CHECK_FALSE(has(text, "长梁村")); // not theirs

    // The supervisor: the township's total first, then its villages (法库镇 has one).
    r = h.say_in_group("g_fk", supervisor, "统计");
    text = said_to(r, "g_fk");
    INFO(text);
    CHECK(has(text, "【法库镇合计】受理 2 件"));
    CHECK(text.find("【法库镇合计】") < text.find("【黄花岭村】受理 2 件"));
    CHECK_FALSE(has(text, "【您经手】")); // a supervisor handles no case of their own here

    // This month (December): the November cases are not in it.
    r = h.say_in_group("g_hhl", agent_hhl_1, "本月统计");
    text = said_to(r, "g_hhl");
    INFO(text);
    CHECK(has(text, "本月（12月1日至12月18日）统计"));
    CHECK(has(text, "这段时间没有办件：黄花岭村"));

    // Another township's village is out of a village agent's reach.
    r = h.say_in_group("g_hhl", agent_hhl_1, "统计 长梁村");
    CHECK(has(said_to(r, "g_hhl"), "不在您的范围内"));

    // The county: its total and each township.
    r = h.say_in_group("g_county", admin, "统计 11月");
    text = said_to(r, "g_county");
    INFO(text);
    CHECK(has(text, "2026年11月（11月1日至11月30日）统计"));
    CHECK(has(text, "【全县】受理 2 件"));
    CHECK(has(text, "【法库镇】受理 2 件"));
    // Townships with nothing in the month share one line instead of a row of zeros.
    CHECK(has(text, "这段时间没有办件：包家屯镇、秀水河子镇、四季镇"));
    CHECK_FALSE(has(text, "【四季镇】"));

    // A township with a complaint but no case shows the complaint, not a row of zero cases.
    h.say(neighbour, "我是长梁村的");
    h.say(neighbour, "我要投诉村里低保评得不公平");
    r = h.say_in_group("g_county", admin, "统计");
    text = said_to(r, "g_county");
    INFO(text);
    CHECK(has(text, "【四季镇】没有代办件\n投诉 1 件、建议 0 件、咨询 0 件：已答复 0 件"));
}

TEST_CASE("统计 times an emergency from report to 收到 and 到场", "[unit][kpis][handlers]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    h.say(resident, "地里被冰雹砸得稀烂 快来看看吧");
    h.now_ms += 4 * 60 * 1000;
    h.say_in_group("g_hhl", agent_hhl_1, "收到 1");
    h.now_ms += 31 * 60 * 1000;
    h.say_in_group("g_hhl", agent_hhl_1, "到场 1");
    const auto r = h.say_in_group("g_hhl", agent_hhl_1, "统计");
    const auto text = said_to(r, "g_hhl");
    INFO(text);
    CHECK(has(text, "急事 1 起：响应（收到）中位 4分钟、P90 4分钟；到场中位 35分钟"));
}
