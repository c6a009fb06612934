// Unit: emergencies as the hail story of seed 003 tells it, without Redis (handler_harness): the
// alarm goes out in the reporting turn to the contact agent, the village group and the township's
// duty officer; the resident hears who is coming; photos and a location go to the ticket, not to
// a case; 收到 / 到场 / 解除 are recorded and told; no 收到 within 10 minutes reaches the township
// group, within 30 the county group; "不是急事" takes the alarm back.
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

const person farmer{"u_lan", "兰向军"};
const person agent_hhl_1{"u_agent_hhl_1", "李春生"}; // 黄花岭村's contact agent
const person agent_hhl_2{"u_agent_hhl_2", "孙桂芝"};
const std::string village_group = "g_hhl";
const std::string duty_officer = "u_agent_fk_sup"; // 法库镇's supervisor, 刘振国
const std::string township_group = "g_fk";
const std::string county_group = "g_county";

std::string jpeg(unsigned char n) {
    std::string bytes("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
    bytes += std::string(64, static_cast<char>(n));
    return bytes;
}

state::ticket_record ticket(handler_harness& h, std::int64_t n) {
    auto t = test::run_coroutine(h.stores.tickets.get(h.tenant, n));
    REQUIRE(t.has_value());
    return *t;
}

// 兰向军 of 黄花岭村 reports the hail; the replies of that turn.
std::vector<model::reply> report_hail(handler_harness& h) {
    h.say(farmer, "我是黄花岭村的");
    return h.say(farmer, "地里被冰雹砸得稀烂 快来看看吧");
}

} // namespace

TEST_CASE("an emergency alerts the contact agent and the village group and the duty officer in the "
          "same turn",
          "[handlers][emergencies]") {
    handler_harness h;
    const auto r = report_hail(h);
    const auto to_resident = said_to(r, farmer.id);
    INFO(to_resident);
    CHECK(has(to_resident, "李春生"));
    CHECK(has(to_resident, "13842101234"));
    CHECK(has(to_resident, "不是急事"));
    const auto card = said_to(r, village_group);
    CHECK(has(card, "急事 #1"));
    CHECK(has(card, "黄花岭村居民"));
    CHECK_FALSE(has(card, "兰向军")); // villagers may read the group: the name goes privately
    CHECK(has(said_to(r, agent_hhl_1.id), "黄花岭村兰向军"));
    CHECK(has(card, "冰雹"));
    CHECK(has(card, "收到 1"));
    CHECK(has(said_to(r, agent_hhl_1.id), "急事 #1"));
    CHECK(has(said_to(r, duty_officer), "急事 #1"));
    // No case was opened: an emergency is not a proxy errand.
    auto cases = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + farmer.id));
    CHECK(cases.empty());
    const auto t = ticket(h, 1);
    CHECK(t.kind == state::ticket_kind::emergency);
    CHECK(t.status == state::ticket_status::open);
    CHECK(t.village == "hhl");
    CHECK(t.owner == "a_hhl_1");
}

TEST_CASE("photos and a location after a report go to the emergency and not to a case",
          "[handlers][emergencies]") {
    handler_harness h;
    report_hail(h);
    auto r = h.send_photo(farmer, jpeg(1));
    CHECK(has(said_to(r, farmer.id), "照片收到了"));
    CHECK(has(said_to(r, village_group), "共 1 张"));
    r = h.send_photo(farmer, jpeg(2));
    CHECK(has(said_to(r, village_group), "共 2 张"));
    r = h.send_location(farmer, 42.4871, 123.4152, "黄花岭村东大地");
    CHECK(has(said_to(r, farmer.id), "位置收到了"));
    CHECK(has(said_to(r, village_group), "黄花岭村东大地"));
    const auto t = ticket(h, 1);
    CHECK(t.files.size() == 2);
    CHECK(has(t.location, "42.487100,123.415200"));
    // More words about it are passed on, with no second alarm.
    r = h.say(farmer, "快点来啊 着火了");
    CHECK(has(said_to(r, village_group), "#1"));
    CHECK(has(said_to(r, village_group), "补充"));
    auto open = test::run_coroutine(h.stores.tickets.open_tickets(h.tenant));
    CHECK(open.size() == 1);
}

TEST_CASE("an agent acknowledges then arrives then stands down and the resident hears each step",
          "[handlers][emergencies]") {
    handler_harness h;
    report_hail(h);
    h.now_ms += 3 * 60'000;
    auto r = h.say_in_group(village_group, agent_hhl_2, "收到 1");
    CHECK(has(said_to(r, farmer.id), "孙桂芝已经接手"));
    CHECK(has(said_to(r, village_group), "#1 孙桂芝已接手"));
    auto t = ticket(h, 1);
    CHECK(t.status == state::ticket_status::acknowledged);
    CHECK(t.acknowledged_by == "a_hhl_2");
    CHECK(t.acknowledged_at - t.reported_at == 180);
    // A second 收到 says who has it.
    r = h.say_in_group(village_group, agent_hhl_1, "收到 1");
    CHECK(has(said_to(r, village_group), "已经由孙桂芝接手"));
    h.now_ms += 30 * 60'000;
    r = h.say_in_group(village_group, agent_hhl_2, "到场 1");
    CHECK(has(said_to(r, farmer.id), "孙桂芝已经到现场"));
    r = h.say_in_group(village_group, agent_hhl_2, "解除 1 已拍照登记，报保险");
    CHECK(has(said_to(r, farmer.id), "处理完了"));
    CHECK(has(said_to(r, farmer.id), "报保险"));
    t = ticket(h, 1);
    CHECK(t.status == state::ticket_status::closed);
    CHECK(t.on_site_at - t.reported_at == 33 * 60);
    // Acknowledged in time: the escalations stay silent.
    h.now_ms += 60 * 60'000;
    const auto fired = h.fire_due_timers();
    CHECK(said_to(fired, township_group).empty());
    CHECK(said_to(fired, county_group).empty());
    // A resident cannot use the agents' words.
    r = h.say(farmer, "收到 1");
    CHECK(has(said_to(r, farmer.id), "代理员"));
}

TEST_CASE(
    "nobody acknowledging reaches the township group at 10 minutes and the county group at 30",
    "[handlers][emergencies]") {
    handler_harness h;
    report_hail(h);
    h.now_ms += 9 * 60'000;
    CHECK(h.fire_due_timers().empty());
    h.now_ms += 2 * 60'000;
    auto fired = h.fire_due_timers();
    CHECK(has(said_to(fired, township_group), "10 分钟没人接手"));
    CHECK(said_to(fired, county_group).empty());
    h.now_ms += 20 * 60'000;
    fired = h.fire_due_timers();
    CHECK(has(said_to(fired, county_group), "30 分钟没人接手"));
}

TEST_CASE("转代办 turns the hail report into a relief case with its photos filed as materials",
          "[handlers][emergencies]") {
    handler_harness h;
    report_hail(h);
    h.send_photo(farmer, jpeg(1));
    h.send_photo(farmer, jpeg(2));
    h.say_in_group(village_group, agent_hhl_2, "收到 1");
    h.say_in_group(village_group, agent_hhl_2, "到场 1");
    auto r = h.say_in_group(village_group, agent_hhl_1, "转代办 1");
    const auto to_agent = said_to(r, village_group);
    INFO(to_agent);
    CHECK(has(to_agent, "急事 #1 已转代办 #1"));
    CHECK(has(to_agent, "现场照片 2 张已登记为“受灾现场照片”"));
    CHECK(has(to_agent, "【新代办】#1 自然灾害救助"));
    const auto to_farmer = said_to(r, farmer.id);
    INFO(to_farmer);
    CHECK(has(to_farmer, "编号 1"));
    CHECK(has(to_farmer, "由孙桂芝负责")); // who went out owns the follow-up
    CHECK(has(to_farmer, "还需要：居民身份证、本人银行卡或一卡通"));

    const auto c = test::run_coroutine(h.stores.cases.get(h.tenant, 1));
    REQUIRE(c);
    CHECK(c->service == "disaster_relief");
    CHECK(c->resident == "hook:" + farmer.id);
    CHECK(c->resident_name == farmer.name);
    CHECK(c->owner == "a_hhl_2");
    const auto* photos = c->material("damage_photos");
    REQUIRE(photos);
    CHECK(photos->files.size() == 2);
    CHECK(photos->state == "received");
    const auto t = ticket(h, 1);
    CHECK(t.case_number == 1);
    CHECK(t.status == state::ticket_status::closed);

    // Typed again: the same case, nothing new opened, no second card.
    r = h.say_in_group(village_group, agent_hhl_1, "转代办 1");
    CHECK(has(said_to(r, village_group), "已经转过代办，编号 1"));
    CHECK_FALSE(has(said_to(r, village_group), "新代办"));
    auto mine = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + farmer.id));
    CHECK(mine.size() == 1);
    // Only agents may; a case number is not a ticket number.
    r = h.say(farmer, "转代办 1");
    CHECK(has(said_to(r, farmer.id), "代理员"));
}

TEST_CASE("not an emergency takes the alarm back and nothing escalates",
          "[handlers][emergencies]") {
    handler_harness h;
    report_hail(h);
    auto r = h.say(farmer, "不是急事");
    CHECK(has(said_to(r, farmer.id), "不是急事了"));
    CHECK(has(said_to(r, village_group), "警报撤回"));
    CHECK(ticket(h, 1).status == state::ticket_status::withdrawn);
    h.now_ms += 40 * 60'000;
    const auto fired = h.fire_due_timers();
    CHECK(said_to(fired, township_group).empty());
    CHECK(said_to(fired, county_group).empty());
}

TEST_CASE("a report from someone the bot cannot place goes to the county at once and then to the "
          "village named",
          "[handlers][emergencies]") {
    handler_harness h;
    auto r = h.say(farmer, "着火了 快来人");
    CHECK(has(said_to(r, county_group), "急事 #1"));
    CHECK(has(said_to(r, farmer.id), "哪个村"));
    r = h.say(farmer, "黄花岭");
    CHECK(has(said_to(r, village_group), "急事 #1"));
    CHECK(has(said_to(r, county_group), "黄花岭村"));
    CHECK(has(said_to(r, farmer.id), "李春生"));
    CHECK(ticket(h, 1).village == "hhl");
}

TEST_CASE("a plain follow is welcomed and other platform events get silence",
          "[handlers][events]") {
    handler_harness h;
    auto event = [&](std::string name) {
        model::turn t;
        t.channel = "hook";
        t.chat = {model::chat_kind::private_chat, farmer.id};
        t.from_id = farmer.id;
        t.kind = model::turn_kind::event;
        t.event = model::event_ref{std::move(name), ""};
        return h.turn(std::move(t));
    };
    CHECK(has(said_to(event("subscribe"), farmer.id), "欢迎关注"));
    for (const char* quiet : {"unsubscribe", "view", "location", "template_finish"}) {
        INFO(quiet);
        CHECK(event(quiet).empty());
    }
    // A location message with nothing reported asks what is the matter.
    CHECK(has(said_to(h.send_location(farmer, 42.0, 123.0, ""), farmer.id), "需要帮什么忙"));
}
