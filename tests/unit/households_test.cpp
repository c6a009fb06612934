// Unit: households and their contact cadres (包户干部, org.json `households`) without Redis
// (handler_harness): a household head is known by their account, needs not name their village,
// and what they bring reaches their household's contact cadre first — the village's first agent
// only when the household names no cadre.
#include "handler_harness.hpp"
#include "reply_checks.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace daiban;
using daiban::test::handler_harness;
using namespace daiban::test::checks;
using person = handler_harness::person;

namespace {

const person zhang{"u_hhl_zhang_guoqiang", "张国强"}; // household of 黄花岭村, cadre 孙桂芝
const person sun{"u_hhl_sun_xiumei", "孙秀梅"};       // household of 黄花岭村, no cadre named
const person agent_hhl_1{"u_agent_hhl_1", "李春生"};  // 黄花岭村's first agent
const person agent_hhl_2{"u_agent_hhl_2", "孙桂芝"};

} // namespace

TEST_CASE("an emergency of a household reaches its contact cadre and not the village's first agent",
          "[handlers][households]") {
    handler_harness h;
    const auto r = h.say(zhang, "地里被冰雹砸得稀烂 快来看看吧");
    const auto to_resident = said_to(r, zhang.id);
    INFO(to_resident);
    CHECK(has(to_resident, "孙桂芝"));
    CHECK(has(said_to(r, agent_hhl_2.id), "张国强"));
    CHECK_FALSE(reaches(r, agent_hhl_1.id));
    CHECK(has(said_to(r, "g_hhl"), "黄花岭村"));
}

TEST_CASE("a household's case is owned by its contact cadre and the cadre is who to contact",
          "[handlers][households]") {
    handler_harness h;
    h.say(zhang, "我要办医疗费报销");
    const auto c = test::run_coroutine(h.stores.cases.get(h.tenant, 1));
    REQUIRE(c);
    CHECK(c->village == "hhl");
    CHECK(c->owner == "a_hhl_2");
    const auto r = h.say(sun, "联系代理员");
    CHECK(has(said_to(r, sun.id), "李春生")); // no cadre named: the village's first agent
}
