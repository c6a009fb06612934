// Integration: what residents bring besides cases, end to end through the real server (JSON
// hook) and a real Redis — the hail story of seed 003 (report, photo and location to the
// ticket, 收到 and 到场 in the village group, the resident told at each step, the ticket's times
// in Redis), a complaint about a named agent that never reaches that agent, and an anonymous
// suggestion whose writer no message names.
#include "http_peer.hpp"
#include "resident_hook.hpp"
#include "time_support.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace daiban::test;
using nlohmann::json;

namespace {

std::string ticket_number(const std::string& text) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex("#([0-9]+)"))) return m[1];
    return "";
}

bool reaches(const json& res, const std::string& chat_id) {
    for (const auto& r : res["replies"])
        if (r["chat"]["id"] == chat_id) return true;
    return false;
}

std::string ticket_field(const std::string& n, const std::string& field) {
    redis_reader redis(fixture_redis());
    return redis.hget("dbn:{demo}:ticket:" + n, field).value_or("");
}

} // namespace

TEST_CASE("hail: the village agent and group and the duty officer hear it in the reporting turn",
          "[integration][tickets]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person lan{unique("u_lan"), "兰向军"};
    h.text(lan, "我是黄花岭村的");

    auto r = h.text(lan, "地里被冰雹砸得稀烂 快来看看吧");
    const auto to_lan = said_to(r, lan.id);
    INFO(r.dump());
    CHECK(has(to_lan, agent_hhl_1.name));
    CHECK(has(to_lan, "13842101234"));
    const auto card = said_to(r, "g_hhl");
    const auto n = ticket_number(card);
    REQUIRE(!n.empty());
    CHECK(has(card, "冰雹"));
    CHECK(has(card, "收到 " + n));
    CHECK_FALSE(has(card, "兰向军"));
    CHECK(has(said_to(r, agent_hhl_1.id), "兰向军"));
    CHECK(has(said_to(r, "u_agent_fk_sup"), "冰雹"));
    CHECK(ticket_field(n, "status") == "open");
    CHECK(ticket_field(n, "kind") == "emergency");

    r = h.photo(lan, tiny_jpeg(7), "image/jpeg");
    CHECK(has(said_to(r, lan.id), "照片收到了"));
    CHECK(ticket_field(n, "files").size() == 64);
    json loc = hook::base(lan, "private", lan.id, "location");
    loc["location"] = {{"lat", 42.48}, {"lng", 123.41}, {"label", "黄花岭村东大地"}};
    r = h.send(loc);
    CHECK(has(said_to(r, "g_hhl"), "黄花岭村东大地"));
    CHECK(has(ticket_field(n, "location"), "黄花岭村东大地"));

    r = h.group_text("g_hhl", agent_hhl_2, "收到 " + n);
    CHECK(has(said_to(r, lan.id), agent_hhl_2.name));
    CHECK(has(said_to(r, "g_hhl"), "已接手"));
    CHECK(ticket_field(n, "acknowledged_by") == "a_hhl_2");
    r = h.group_text("g_hhl", agent_hhl_2, "到场 " + n);
    CHECK(has(said_to(r, lan.id), "到现场"));
    CHECK(ticket_field(n, "status") == "on_site");
    CHECK(!ticket_field(n, "on_site_at").empty());
}

TEST_CASE("a complaint about the village agent reaches the township and never the agent",
          "[integration][tickets]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person zhao{unique("u_zhao"), "赵桂兰"};
    h.text(zhao, "我是黄花岭村的");
    auto r = h.text(zhao, "我要投诉李春生 低保评得不公平");
    const auto to_zhao = said_to(r, zhao.id);
    INFO(r.dump());
    const auto n = ticket_number(to_zhao);
    REQUIRE(!n.empty());
    CHECK(has(to_zhao, "刘振国"));
    CHECK(has(said_to(r, "g_fk"), "低保评得不公平"));
    CHECK_FALSE(reaches(r, agent_hhl_1.id));
    CHECK_FALSE(reaches(r, "g_hhl"));
    CHECK(ticket_field(n, "owner") == "a_fk_sup");

    const person sup{"u_agent_fk_sup", "刘振国"};
    r = h.text(sup, "答复 " + n + " 已派人复核，三天内公示");
    CHECK(has(said_to(r, zhao.id), "三天内公示"));
    CHECK(ticket_field(n, "status") == "answered");
}

TEST_CASE("an anonymous suggestion names its writer nowhere", "[integration][tickets]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person wu{unique("u_wu"), "吴大山"};
    h.text(wu, "我是黄花岭村的");
    auto r = h.text(wu, "匿名提个建议 村里装几个路灯");
    INFO(r.dump());
    CHECK(has(said_to(r, wu.id), "匿名"));
    for (const auto& reply : r["replies"])
        if (reply["chat"]["id"] != wu.id)
            CHECK_FALSE(has(reply["text"].get<std::string>(), "吴大山"));
    CHECK_FALSE(reaches(r, "g_hhl"));
    const auto n = ticket_number(said_to(r, wu.id));
    REQUIRE(!n.empty());
    CHECK(ticket_field(n, "resident_name").empty());
    CHECK(ticket_field(n, "anonymous") == "1");
}

TEST_CASE("a policy question is answered from faq.json and one it lacks is answered by staff and "
          "learned",
          "[integration][tickets][consultations]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    // What earlier runs taught would answer this run's question before staff could.
    timed::redis_cmd(fixture_redis()).run({"DEL", "dbn:{demo}:faq:learned"});
    const person qian{unique("u_qian"), "钱玉珍"};
    h.text(qian, "我是黄花岭村的");

    auto r = h.text(qian, "俺家宅基地可以卖给别的村的人不");
    INFO(r.dump());
    CHECK(has(said_to(r, qian.id), "依据"));
    CHECK(r["replies"].size() == 1);

    r = h.text(qian, "村里集体分红怎么分");
    const auto n = ticket_number(said_to(r, qian.id));
    REQUIRE(!n.empty());
    CHECK(ticket_field(n, "kind") == "consultation");
    CHECK(ticket_field(n, "owner") == "a_fk_sup");
    CHECK(has(said_to(r, "g_fk"), "答复 " + n));

    const person sup{"u_agent_fk_sup", "刘振国"};
    r = h.group_text("g_fk", sup, "答复 " + n + " 分配方案由村民代表大会定，年底张榜公布");
    CHECK(has(said_to(r, qian.id), "张榜公布"));
    r = h.group_text("g_fk", sup, "入库 " + n);
    CHECK(has(said_to(r, "g_fk"), "已入库"));

    const person sun{unique("u_sun"), "孙立民"};
    r = h.text(sun, "村里的集体分红是怎么分的");
    CHECK(has(said_to(r, sun.id), "张榜公布"));
    CHECK_FALSE(reaches(r, "g_fk"));
}
