// Unit: consultations (咨询) without Redis (handler_harness), on the demo tenant's faq.json: a
// policy question asked in other words is answered with its source and opens nothing; a question
// the FAQ does not hold goes to the township's duty staff as a numbered consultation; their
// 答复 N reaches the resident; 入库 N teaches it, so the next resident is answered at once; only
// those who may answer a consultation may teach it.
#include "handler_harness.hpp"
#include "reply_checks.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <string>
#include <vector>

using namespace daiban;
using daiban::test::handler_harness;
using namespace daiban::test::checks;
using person = handler_harness::person;

namespace {

const person resident{"u_wang", "王秀芝"};
const person neighbour{"u_zhou", "周大山"};
const person agent_hhl_1{"u_agent_hhl_1", "李春生"}; // 黄花岭村's contact agent
const person supervisor{"u_agent_fk_sup", "刘振国"}; // 法库镇's supervisor: its duty staff
const std::string village_group = "g_hhl";
const std::string township_group = "g_fk";

} // namespace

TEST_CASE("a policy question in other words is answered from the FAQ with its source",
          "[handlers][consultations]") {
    handler_harness h;
    const auto r = h.say(resident, "俺家宅基地可以卖给别的村的人不");
    const auto to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "依据"));
    CHECK(has(to_resident, "宅基地"));
    CHECK_FALSE(has(to_resident, "没太明白"));
    // Answered, not acted on: no ticket, no case, nobody else told.
    CHECK(r.size() == 1);
    CHECK(test::run_coroutine(h.stores.tickets.open_tickets(h.tenant)).empty());
}

TEST_CASE("a question the FAQ does not hold goes to the township duty staff who answer it",
          "[handlers][consultations]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    auto r = h.say(resident, "村里集体分红怎么分");
    const auto to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "咨询 #"));
    CHECK(has(to_resident, supervisor.name));
    const auto n = number_in(to_resident);
    REQUIRE(!n.empty());
    const auto card = said_to(r, township_group);
    CHECK(has(card, "集体分红"));
    CHECK(has(card, "答复 " + n));
    CHECK(said_to(r, village_group).empty());

    // A village agent may not answer in the township's name.
    r = h.say_in_group(township_group, agent_hhl_1, "答复 " + n + " 按人头分");
    CHECK(has(said_to(r, township_group), "不归您处理"));
    CHECK(said_to(r, resident.id).empty());

    r = h.say_in_group(township_group, supervisor,
                    "答复 " + n + " 集体收益分配方案由村民代表大会讨论决定，年底张榜公布");
    const auto relayed = said_to(r, resident.id);
    CHECK(has(relayed, "张榜公布"));
    CHECK(has(relayed, supervisor.name));
    CHECK(has(said_to(r, township_group), "入库 " + n));
}

TEST_CASE("入库 teaches the FAQ an answered consultation and the next resident is answered at once",
          "[handlers][consultations]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    auto r = h.say(resident, "村里集体分红怎么分");
    const auto n = number_in(said_to(r, resident.id));
    REQUIRE(!n.empty());

    // Not before it is answered, and not by someone who may not answer it.
    r = h.say_in_group(township_group, supervisor, "入库 " + n);
    CHECK(has(said_to(r, township_group), "还没有答复"));
    h.say_in_group(township_group, supervisor,
                "答复 " + n + " 集体收益分配方案由村民代表大会讨论决定，年底张榜公布");
    r = h.say_in_group(village_group, agent_hhl_1, "入库 " + n);
    CHECK(has(said_to(r, village_group), "不归您处理"));
    r = h.say_in_group(township_group, supervisor, "入库 " + n);
    CHECK(has(said_to(r, township_group), "已入库"));

    r = h.say(neighbour, "村里的集体分红是怎么分的");
    const auto to_neighbour = said_to(r, neighbour.id);
    INFO(to_neighbour);
    CHECK(has(to_neighbour, "张榜公布"));
    CHECK(has(to_neighbour, supervisor.name));
    CHECK(said_to(r, township_group).empty()); // answered, not forwarded again
}

TEST_CASE("入库 of a complaint is refused: only consultations join the FAQ",
          "[handlers][consultations]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    auto r = h.say(resident, "我要投诉村里低保评得不公平");
    const auto n = number_in(said_to(r, resident.id));
    REQUIRE(!n.empty());
    h.say_in_group(township_group, supervisor, "答复 " + n + " 已安排复核");
    r = h.say_in_group(township_group, supervisor, "入库 " + n);
    CHECK(has(said_to(r, township_group), "不是咨询"));
}
