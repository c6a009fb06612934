// Unit: collection campaigns ("一户不漏", seed 000's land insurance) without Redis
// (handler_harness): an agent starts one in the village group; every household of org.json and
// every resident the bot knows in the village is on the roster; those with an account are asked
// in their own chat, the rest are named for a visit or a call (phones only to their cadre); a
// household's "已交", "交了57.3元" or receipt photo is recorded only while the bot's question is
// open; 进度 N names who is still silent, by contact cadre; the working day before the deadline
// the silent are reminded and their cadres told; at the deadline the group gets the final list.
#include "handler_harness.hpp"
#include "model/agent_command.hpp"
#include "reply_checks.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace daiban;
using daiban::test::handler_harness;
using namespace daiban::test::checks;
using person = handler_harness::person;

namespace {

const person agent_hhl_1{"u_agent_hhl_1", "李春生"}; // 黄花岭村's first agent
const person agent_hhl_2{"u_agent_hhl_2", "孙桂芝"};
const person wang{"u_hhl_wang_defu", "王德福"};       // cadre 李春生
const person liu{"u_hhl_liu_yulan", "刘玉兰"};        // cadre 孙桂芝
const person zhang{"u_hhl_zhang_guoqiang", "张国强"}; // cadre 孙桂芝
const person chen{"u_hhl_chen_xiuying", "陈秀英"};    // cadre 李春生
const person sun{"u_hhl_sun_xiumei", "孙秀梅"};       // no cadre named: 李春生
const person lan{"u_lan", "兰向军"};                  // known to the bot, heads no listed household
const std::string village_group = "g_hhl";
const std::string start_text = "发起收缴 土地保险 截止12月20日 每亩5.73元";

std::string jpeg(unsigned char n) {
    std::string bytes("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
    bytes += std::string(64, static_cast<char>(n));
    return bytes;
}

state::campaign_record campaign(handler_harness& h, std::int64_t n) {
    auto c = test::run_coroutine(h.stores.campaigns.get(h.tenant, n));
    REQUIRE(c.has_value());
    return *c;
}

// 兰向军 tells the bot his village; 李春生 starts the land insurance in the group; the notices
// fire. Returns the start turn's replies and the notices' replies.
struct started {
    std::vector<model::reply> start;
    std::vector<model::reply> notices;
};
started start_land_insurance(handler_harness& h) {
    h.say(lan, "我是黄花岭村的");
    started s;
    s.start = h.say_in_group(village_group, agent_hhl_1, start_text);
    s.notices = h.fire_due_timers();
    return s;
}

constexpr std::int64_t day_ms = 86400LL * 1000;
// hour:00 mainland time, `days` after the harness's Monday 23 November 2026.
std::int64_t at(int days, int hour) {
    return handler_harness::monday_10am_ms + days * day_ms + (hour - 10) * 3600LL * 1000;
}

} // namespace

TEST_CASE("the NLU reads a campaign start as an exact agent command with its date and amount",
          "[handlers][campaigns]") {
    handler_harness h;
    h.say_in_group(village_group, agent_hhl_1, start_text);
    CHECK(h.last_intent == model::intent_id::agent_notice);
    h.say_in_group(village_group, agent_hhl_1, "进度 1");
    CHECK(h.last_intent == model::intent_id::agent_progress);
}

TEST_CASE("campaign commands parse exactly and never from a resident's bare 已交 or a menu phrase",
          "[handlers][campaigns]") {
    const auto start = model::parse_agent_command("发起收缴土地保险 截止12月20日 每亩5.73元");
    REQUIRE(start);
    CHECK(start->what == model::intent_id::agent_notice);
    CHECK(start->args == std::vector<std::string>{"土地保险", "截止12月20日", "每亩5.73元"});
    CHECK_FALSE(model::parse_agent_command("发起收缴"));
    const auto progress = model::parse_agent_command("进度 3");
    REQUIRE(progress);
    CHECK(progress->what == model::intent_id::agent_progress);
    CHECK(progress->ref == "3");
    CHECK_FALSE(model::parse_agent_command("进度查询"));
    CHECK_FALSE(model::parse_agent_command("已交"));
    CHECK_FALSE(model::parse_agent_command("已交57.3元"));
    const auto mark = model::parse_agent_command("已交 3 赵长山");
    REQUIRE(mark);
    CHECK(mark->what == model::intent_id::agent_mark_paid);
    CHECK(mark->args == std::vector<std::string>{"赵长山"});
}

TEST_CASE("a campaign start names the roster and the deadline and who needs a visit",
          "[handlers][campaigns]") {
    handler_harness h;
    const auto s = start_land_insurance(h);
    const auto reply = said_to(s.start, village_group);
    INFO(reply);
    CHECK(has(reply, "收缴 #1「土地保险」"));
    CHECK(has(reply, "黄花岭村共 7 户")); // six households and 兰向军
    CHECK(has(reply, "12月20日"));
    CHECK(has(reply, "每亩5.73元"));
    CHECK(has(reply, "已给 6 户发了通知"));
    CHECK(has(reply, "需上门/电话通知（1 户）：赵长山"));
    CHECK(has(reply, "进度 1"));
    CHECK_FALSE(has(reply, "13842111205")); // a household's phone never goes to the group
    CHECK(has(said_to(s.start, agent_hhl_2.id), "赵长山 13842111205"));

    const auto c = campaign(h, 1);
    CHECK(c.roster.size() == 7);
    CHECK(c.deadline == "2026-12-20");
    CHECK(c.scope == "village");
    CHECK(c.scope_id == "hhl");
    CHECK(c.started_by == "a_hhl_1");
    // Everyone with an account is asked in their own chat.
    for (const auto& p : {wang, liu, zhang, chen, sun, lan}) {
        const auto notice = said_to(s.notices, p.id);
        INFO(p.name << ": " << notice);
        CHECK(has(notice, "土地保险"));
        CHECK(has(notice, "已交"));
        CHECK(has(notice, "李春生"));
    }
    // A retried start message starts nothing new.
    CHECK(test::run_coroutine(h.stores.campaigns.open_campaigns(h.tenant)).size() == 1);
}

TEST_CASE("households answer with 已交 or an amount or a receipt photo while asked",
          "[handlers][campaigns]") {
    handler_harness h;
    start_land_insurance(h);
    auto r = h.say(wang, "已交");
    CHECK(has(said_to(r, wang.id), "已记下您家“土地保险”已交"));
    r = h.say(liu, "交了57.3元");
    CHECK(has(said_to(r, liu.id), "57.3元"));
    r = h.send_photo(chen, jpeg(7));
    CHECK(has(said_to(r, chen.id), "凭证收到了"));
    r = h.say(sun, "收到");
    CHECK(has(said_to(r, sun.id), "交好以后回我“已交”")); // read is not paid
    r = h.say(sun, "还没交");
    CHECK(has(said_to(r, sun.id), "12月20日前"));
    r = h.say(sun, "交过了");
    CHECK(has(said_to(r, sun.id), "已记下"));

    const auto c = campaign(h, 1);
    CHECK(c.answers.size() == 4);
    CHECK(c.answers.at("hhl_wang_defu").by == "hook:" + wang.id);
    CHECK(c.answers.at("hhl_liu_yulan").amount == "57.3");
    CHECK_FALSE(c.answers.at("hhl_chen_xiuying").photo.empty());
    CHECK(c.answered("hhl_sun_xiumei"));
    // Said twice: the first answer stands, and nothing new is asked.
    r = h.say(wang, "已交");
    CHECK_FALSE(has(said_to(r, wang.id), "不用再报"));
}

TEST_CASE("without the campaign question a photo takes its usual way and a 交了 is asked about",
          "[handlers][campaigns]") {
    handler_harness h;
    start_land_insurance(h);
    // 张国强 talks about something else first: the campaign question is no longer open.
    h.say(zhang, "低保要什么材料");
    auto r = h.send_photo(zhang, jpeg(9));
    CHECK_FALSE(has(said_to(r, zhang.id), "凭证收到了"));
    // His "交了" is not taken on a guess: the bot asks which, and his "已交" then answers it.
    r = h.say(zhang, "交了");
    CHECK(has(said_to(r, zhang.id), "您是说“土地保险”已经交了吗"));
    CHECK(campaign(h, 1).answers.empty());
    r = h.say(zhang, "已交");
    CHECK(has(said_to(r, zhang.id), "已记下"));
    CHECK(campaign(h, 1).answered("hhl_zhang_guoqiang"));
    // Someone never asked sends a photo: the photo flow, no campaign.
    r = h.send_photo({"u_zhao", "赵桂兰"}, jpeg(3));
    CHECK_FALSE(has(said_to(r, "u_zhao"), "凭证"));
    CHECK(campaign(h, 1).answers.size() == 1);
}

TEST_CASE("进度 lists done and silent households by name under their contact cadre",
          "[handlers][campaigns]") {
    handler_harness h;
    start_land_insurance(h);
    h.say(wang, "已交");
    h.say(liu, "交了57.3元");
    h.send_photo(chen, jpeg(7));
    h.say(sun, "已交");
    auto r = h.say_in_group(village_group, agent_hhl_2, "进度 1");
    const auto progress = said_to(r, village_group);
    INFO(progress);
    CHECK(has(progress, "已完成 4/7"));
    CHECK(has(progress, "孙桂芝联系：已交 刘玉兰（57.3元）；未交 张国强、赵长山（无微信）"));
    CHECK(has(progress, "李春生联系：已交 王德福、陈秀英（凭证）、孙秀梅；未交 兰向军"));
    CHECK_FALSE(has(progress, "hhl_")); // agents see names, not ids

    // An agent records a household that paid in cash.
    r = h.say_in_group(village_group, agent_hhl_2, "已交 1 赵长山");
    CHECK(has(said_to(r, village_group), "赵长山家“土地保险”已交（孙桂芝登记）"));
    CHECK(has(said_to(r, village_group), "5/7"));
    r = h.say_in_group(village_group, agent_hhl_2, "进度 9");
    CHECK(has(said_to(r, village_group), "没有 #9"));
    // A resident's 进度 asks about their own affairs.
    r = h.say(wang, "进度 1");
    CHECK_FALSE(has(said_to(r, wang.id), "已完成"));
}

TEST_CASE("the working day before the deadline the silent are reminded and at the deadline the "
          "group gets the final list",
          "[handlers][campaigns]") {
    handler_harness h;
    start_land_insurance(h);
    for (const auto& p : {wang, liu, chen, sun})
        h.say(p, "已交");

    // 20 December 2026 is a Sunday: the working day before is Friday the 18th.
    h.now_ms = at(25, 9);
    auto r = h.fire_due_timers();
    const auto to_cadre = said_to(r, agent_hhl_2.id);
    INFO(to_cadre);
    CHECK(has(to_cadre, "【催交】"));
    CHECK(has(to_cadre, "张国强"));
    CHECK(has(to_cadre, "赵长山 13842111205"));
    CHECK(has(said_to(r, agent_hhl_1.id), "兰向军"));
    r = h.fire_due_timers(); // the reminders, each in the household's own chat
    CHECK(has(said_to(r, zhang.id), "提醒一下"));
    CHECK(has(said_to(r, lan.id), "提醒一下"));
    CHECK_FALSE(reaches(r, wang.id));
    // The reminder asks again: 张国强's answer is taken.
    r = h.say(zhang, "交了");
    CHECK(has(said_to(r, zhang.id), "已记下"));

    h.now_ms = at(27, 18);
    r = h.fire_due_timers();
    const auto final_list = said_to(r, village_group);
    INFO(final_list);
    CHECK(has(final_list, "已截止：完成 5/7"));
    CHECK(has(final_list, "赵长山（孙桂芝）"));
    CHECK(has(final_list, "兰向军（李春生）"));
    CHECK_FALSE(campaign(h, 1).open);
}

TEST_CASE("a township supervisor's campaign covers the township and residents cannot start one",
          "[handlers][campaigns]") {
    handler_harness h;
    const person supervisor{"u_agent_fk_sup", "刘振国"};
    auto r = h.say_in_group("g_fk", supervisor, "发起通知 冬季防火 截止12月20日");
    const auto reply = said_to(r, "g_fk");
    INFO(reply);
    CHECK(has(reply, "通知 #1「冬季防火」"));
    CHECK(has(reply, "法库镇共"));
    CHECK(campaign(h, 1).scope == "township");
    h.fire_due_timers();
    r = h.say(wang, "收到"); // a notice is confirmed by having read it
    CHECK(has(said_to(r, wang.id), "已记下您看过通知“冬季防火”"));
    CHECK(campaign(h, 1).answered("hhl_wang_defu"));
    r = h.say(wang, "发起收缴 土地保险 截止12月20日");
    CHECK(has(said_to(r, wang.id), "代理员的口令"));
    r = h.say_in_group(village_group, agent_hhl_1, "发起收缴 土地保险");
    CHECK(has(said_to(r, village_group), "发起格式"));
}

TEST_CASE("the same collection typed again starts nothing and other villages' agents see no list",
          "[handlers][campaigns]") {
    handler_harness h;
    start_land_insurance(h);
    auto r = h.say_in_group(village_group, agent_hhl_2, start_text);
    CHECK(has(said_to(r, village_group), "收缴 #1「土地保险」还在进行中"));
    CHECK(test::run_coroutine(h.stores.campaigns.open_campaigns(h.tenant)).size() == 1);
    CHECK(h.fire_due_timers().empty()); // nobody is asked twice

    const person agent_sjz{"u_agent_sjz_1", "武德胜"}; // 十家子村
    r = h.say_in_group("g_sjz", agent_sjz, "进度 1");
    const auto refused = said_to(r, "g_sjz");
    CHECK(has(refused, "不是您村"));
    CHECK_FALSE(has(refused, "王德福"));
}
