// Unit: complaints and suggestions (民意快线) without Redis (handler_harness): each gets a number,
// a due date and an owner by rule — a complaint about a village agent goes to the township's
// supervisor and never to that agent or their village group; one about a township goes to the
// county; an anonymous writer's name appears nowhere; 答复 N reaches the resident, and only the
// owner (or those above) may answer.
#include "handler_harness.hpp"
#include "reply_checks.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace daiban;
using daiban::test::handler_harness;
using namespace daiban::test::checks;
using person = handler_harness::person;

namespace {

const person resident{"u_zhao", "赵桂兰"};
const person agent_hhl_1{"u_agent_hhl_1", "李春生"}; // 黄花岭村's contact agent
const person supervisor{"u_agent_fk_sup", "刘振国"}; // 法库镇's supervisor
const person admin{"u_agent_admin", "韩雪梅"};       // the county
const std::string village_group = "g_hhl";
const std::string township_group = "g_fk";
const std::string county_group = "g_county";

state::ticket_record ticket(handler_harness& h, std::int64_t n) {
    auto t = test::run_coroutine(h.stores.tickets.get(h.tenant, n));
    REQUIRE(t.has_value());
    return *t;
}

} // namespace

TEST_CASE(
    "a complaint naming the village agent goes to the township supervisor and never to the agent",
    "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    const auto r = h.say(resident, "我要投诉李春生 低保评得不公平");
    const auto to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "投诉 #1"));
    CHECK(has(to_resident, "刘振国"));
    CHECK(has(to_resident, "11月30日")); // five working days from Monday 23 November
    CHECK(has(said_to(r, supervisor.id), "低保评得不公平"));
    CHECK(has(said_to(r, township_group), "投诉 #1"));
    CHECK_FALSE(reaches(r, agent_hhl_1.id));
    CHECK_FALSE(reaches(r, village_group));
    const auto t = ticket(h, 1);
    CHECK(t.kind == state::ticket_kind::complaint);
    CHECK(t.owner == "a_fk_sup");
    CHECK(has(t.about, "a_hhl_1"));
    // The agent complained about cannot answer it; the supervisor can, and the resident hears it.
    auto wrong = h.say(agent_hhl_1, "答复 1 没有不公平");
    CHECK(has(said_to(wrong, agent_hhl_1.id), "不归您处理"));
    CHECK_FALSE(reaches(wrong, resident.id));
    auto answered = h.say(supervisor, "答复 1 已经派人复核，三天内公示结果");
    CHECK(has(said_to(answered, resident.id), "三天内公示结果"));
    CHECK(has(said_to(answered, resident.id), "刘振国"));
    CHECK(has(said_to(answered, supervisor.id), "已转给居民"));
    CHECK(ticket(h, 1).status == state::ticket_status::answered);
}

TEST_CASE("a complaint about the township goes to the county", "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    const auto r = h.say(resident, "投诉法库镇便民服务中心办事拖拉");
    CHECK(has(said_to(r, admin.id), "办事拖拉"));
    CHECK(has(said_to(r, county_group), "投诉 #1"));
    CHECK_FALSE(reaches(r, supervisor.id));
    CHECK_FALSE(reaches(r, township_group));
    CHECK(ticket(h, 1).owner == "a_admin");
}

TEST_CASE("an anonymous suggestion shows its writer to nobody", "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    const auto r = h.say(resident, "建议村里装几个路灯 匿名");
    const auto to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "建议 #1"));
    CHECK(has(to_resident, "匿名"));
    const auto to_owner = said_to(r, agent_hhl_1.id);
    CHECK(has(to_owner, "路灯"));
    CHECK(has(to_owner, "匿名居民"));
    CHECK_FALSE(has(to_owner, "赵桂兰"));
    CHECK_FALSE(reaches(r, village_group)); // no group card for an anonymous writer
    const auto t = ticket(h, 1);
    CHECK(t.anonymous);
    CHECK(t.resident_name.empty());
    // Answered all the same: the reply finds the writer without anyone knowing who it is.
    const auto answered = h.say(agent_hhl_1, "答复 1 村委会已经报了预算，明年开春装");
    CHECK(has(said_to(answered, resident.id), "明年开春装"));
}

TEST_CASE("a named suggestion is carded in the village group without the name and with two weeks "
          "to answer",
          "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    const auto r = h.say(resident, "建议村里装几个路灯");
    const auto card = said_to(r, village_group);
    CHECK(has(card, "建议 #1"));
    CHECK(has(card, "黄花岭村居民"));
    CHECK_FALSE(has(card, "赵桂兰"));
    CHECK(has(card, "12月7日")); // ten working days from Monday 23 November
}

namespace {

// The tenant's daily deadline patrol, armed as the server arms it (deadlines.hpp), fired at
// 09:00 on `days` after the harness's Monday 23 November 2026.
std::vector<model::reply> patrol_after(handler_harness& h, int days) {
    constexpr std::int64_t day_ms = 86400LL * 1000;
    h.now_ms = handler_harness::monday_10am_ms - 3600LL * 1000 + days * day_ms; // 09:00
    state::timer t;
    t.id = "deadline:patrol";
    t.due_ms = h.now_ms;
    t.kind = "deadline_patrol";
    t.target = "sys:deadlines";
    t.channel = "hook";
    test::run_coroutine(h.stores.timers.schedule(h.tenant, t));
    return h.fire_due_timers();
}

} // namespace

TEST_CASE("an unanswered complaint is chased: its owner the day before and the county once overdue",
          "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    auto r = h.say(resident, "我要投诉李春生 低保评得不公平");
    REQUIRE(has(said_to(r, resident.id), "11月30日")); // five working days: Monday 30 November

    r = patrol_after(h, 3); // Thursday: two working days left, nobody is chased yet
    CHECK_FALSE(has(said_to(r, supervisor.id), "投诉 #1"));
    r = patrol_after(h, 4); // Friday, the working day before
    const auto reminder = said_to(r, supervisor.id);
    CHECK(has(reminder, "投诉 #1"));
    CHECK(has(reminder, "答复 1"));
    CHECK(said_to(r, county_group).empty());
    r = patrol_after(h, 7); // Monday, the due date: reminded once already
    CHECK_FALSE(has(said_to(r, supervisor.id), "投诉 #1"));

    r = patrol_after(h, 8); // Tuesday: overdue, the county supervises
    const auto supervised = said_to(r, county_group);
    CHECK(has(supervised, "督办"));
    CHECK(has(supervised, "投诉 #1"));
    CHECK(has(supervised, supervisor.name));
    CHECK(said_to(patrol_after(h, 9), county_group).empty()); // once

    // Answered: nothing more is said about it.
    h.say_in_group(township_group, supervisor, "答复 1 已安排复核 周五前公示结果");
    CHECK(ticket(h, 1).status == state::ticket_status::answered);
    r = patrol_after(h, 10);
    CHECK(said_to(r, county_group).empty());
    CHECK(said_to(r, supervisor.id).empty());
}

TEST_CASE("回访 a bad rating reopens a complaint once and a second bad rating reaches the county",
          "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    h.say(resident, "我要投诉李春生 低保评得不公平");
    auto r = h.say(supervisor, "答复 1 已经复核，评议程序没有问题");
    CHECK(has(said_to(r, resident.id), "这个答复您满意吗"));

    r = h.say(resident, "2");
    auto text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "#1 已重新交办"));
    CHECK(has(text, "刘振国"));
    CHECK(has(text, "11月30日")); // five working days again from Monday 23 November
    CHECK(has(said_to(r, supervisor.id), "【重新交办】#1"));
    CHECK(has(said_to(r, township_group), "不满意（2 分）"));
    CHECK_FALSE(reaches(r, agent_hhl_1.id)); // still never the agent complained about
    auto t = ticket(h, 1);
    CHECK(t.status == state::ticket_status::open);
    CHECK(t.reopened);
    CHECK(t.rating == 2);

    // Answered again, rated badly again: closed this time, and the county hears of it.
    h.say(supervisor, "答复 1 已请县民政局复核，结果下周公示");
    r = h.say(resident, "不满意");
    CHECK(has(said_to(r, resident.id), "很抱歉"));
    CHECK(has(said_to(r, county_group), "【回访不满意】投诉 #1"));
    t = ticket(h, 1);
    CHECK(t.status == state::ticket_status::closed);
    CHECK(t.rating == 2);
    // The rating was read once: another number is not taken as a rating of it.
    r = h.say(resident, "5");
    CHECK_FALSE(reaches(r, county_group));
    CHECK(ticket(h, 1).status == state::ticket_status::closed);
}

TEST_CASE("回访 a good rating of an answered suggestion closes it with thanks",
          "[handlers][voices]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    h.say(resident, "建议村里装几个路灯");
    h.say(agent_hhl_1, "答复 1 村委会已经报了预算，明年开春装");
    const auto r = h.say(resident, "挺满意的 谢谢");
    CHECK(has(said_to(r, resident.id), "谢谢您的评价"));
    const auto t = ticket(h, 1);
    CHECK(t.status == state::ticket_status::closed);
    CHECK(t.rating >= 4);
    CHECK(t.closed_at > 0);
}
