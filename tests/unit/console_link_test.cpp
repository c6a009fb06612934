// Unit: `后台` / `登录` (handlers/console_link.cpp) and "谁看过我的材料" (handlers/who_viewed.cpp)
// on memory stores: a sign-in link only for staff, only in private, stored only as its digest;
// and the resident's answer from the trail of views the console records.
#include "common/sha256.hpp"
#include "handler_harness.hpp"
#include "reply_checks.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace daiban;
using daiban::test::handler_harness;
using daiban::test::run_coroutine;
using namespace daiban::test::checks;
using person = handler_harness::person;

namespace {

const person resident{"u_lan", "兰向军"};
const person supervisor{"u_agent_fk_sup", "刘振国"};

std::string token_in(const std::string& text) {
    std::smatch m;
    static const std::regex re(R"(/console/login\?t=demo\.([0-9a-f]{64}))");
    return std::regex_search(text, m, re) ? m[1].str() : "";
}

} // namespace

TEST_CASE("后台 gives an agent a one-time link in private, never in the group",
          "[handlers][console]") {
    handler_harness h;
    auto r = h.say_in_group("g_fk", supervisor, "后台");
    const auto in_group = said_to(r, "g_fk");
    const auto in_private = said_to(r, supervisor.id);
    INFO(in_group << "\n" << in_private);
    CHECK(token_in(in_group).empty());
    CHECK(has(in_group, "私信"));
    const auto token = token_in(in_private);
    REQUIRE(!token.empty());
    CHECK(has(in_private, "https://daiban.example.gov.cn/console/login?t="));
    // Stored under its digest, bound to the agent; the token itself is nowhere in the store.
    const auto& links = h.stores.console.links();
    REQUIRE(links.size() == 1);
    CHECK(links.begin()->first.second == sha256_hex(token));
    CHECK(links.begin()->second == "a_fk_sup");

    // Asking again gives a new link; both stay single-use.
    r = h.say(supervisor, "登录");
    CHECK(token_in(said_to(r, supervisor.id)) != token);
    CHECK(h.stores.console.links().size() == 2);
}

TEST_CASE("后台 from a resident or without a console says so and stores nothing",
          "[handlers][console]") {
    handler_harness h;
    auto r = h.say(resident, "后台");
    CHECK(token_in(said_to(r, resident.id)).empty());
    CHECK(h.stores.console.links().empty());

    h.console_url.clear();
    r = h.say(supervisor, "后台");
    CHECK(has(said_to(r, supervisor.id), "还没有开通"));
    CHECK(h.stores.console.links().empty());
}

TEST_CASE("a case keeps the resident's mandate, and 谁看过我的材料 lists the views by name",
          "[handlers][console]") {
    handler_harness h;
    auto r = h.say(resident, "谁看过我的材料");
    CHECK(has(said_to(r, resident.id), "还没有代办件"));

    h.say(resident, "我是黄花岭村的");
    r = h.say(resident, "我妈住院了，想办民政二次救助");
    INFO(said_to(r, resident.id));
    REQUIRE(has(said_to(r, resident.id), "已为您受理"));
    const auto mine = run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + resident.id));
    REQUIRE(mine.size() == 1);
    const auto n = std::to_string(mine.front());
    // The mandate (委托) is told to the resident and kept with the case, in words.
    CHECK(has(said_to(r, resident.id), "委托"));
    const auto opened = run_coroutine(h.stores.cases.get(h.tenant, mine.front()));
    REQUIRE(opened);
    CHECK(has(opened->mandate, "医疗救助"));
    CHECK(has(opened->mandate, "居民身份证"));
    CHECK(has(opened->mandate, "至办结为止"));
    r = h.say(resident, "我的材料都有谁看过");
    CHECK(has(said_to(r, resident.id), "还没有工作人员"));

    run_coroutine(h.stores.console.log_view("demo", mine.front(),
                                            {1764902700, "a_fk_sup", "abc", "10.0.0.9"}));
    r = h.say(resident, "谁看了我的照片");
    const auto answer = said_to(r, resident.id);
    INFO(answer);
    CHECK(has(answer, "刘振国"));
    CHECK(has(answer, "#" + n));
    CHECK_FALSE(has(answer, "10.0.0.9")); // the address stays with the staff
    CHECK_FALSE(has(answer, "a_fk_sup")); // names, not ids
}
