// Unit: the pure checks behind cases — the status transition table, personal details in group
// messages (GB 11643 ID-card check digit, mobile numbers), file types by their first bytes, and
// where an agent is reached privately.
#include "handlers/case_support.hpp"
#include "state/case_store.hpp"

#include <catch2/catch.hpp>

using namespace daiban::handlers::cases;
using daiban::state::case_status;
namespace state = daiban::state;

TEST_CASE("ID-card numbers need a valid GB 11643 check digit", "[unit][cases]") {
    CHECK(valid_id_card("11010519491231002X"));
    CHECK(valid_id_card("11010519491231002x"));
    CHECK_FALSE(valid_id_card("110105194912310021"));
    CHECK_FALSE(valid_id_card("1101051949123100"));
}

TEST_CASE("personal details in a message", "[unit][cases]") {
    CHECK(contains_personal_details("我的身份证号是11010519491231002X，帮我查下"));
    CHECK(contains_personal_details("电话13842101234"));
    CHECK_FALSE(contains_personal_details("订单号110105194912310021"));
    CHECK_FALSE(contains_personal_details("接单 12"));
    // Twelve digits are not a mobile number.
    CHECK_FALSE(contains_personal_details("138421012345"));
    CHECK_FALSE(contains_personal_details("编号 DEMO-20261122-0012"));
}

TEST_CASE("file types come from the bytes — not the claimed mime", "[unit][cases]") {
    CHECK(sniff_file_type(std::string("\xFF\xD8\xFF\xE0rest", 8)) == "jpg");
    CHECK(sniff_file_type(std::string("\x89PNG\r\n\x1a\nxx", 10)) == "png");
    CHECK(sniff_file_type("%PDF-1.7 ...") == "pdf");
    CHECK_FALSE(sniff_file_type("GIF89a..."));
    CHECK_FALSE(sniff_file_type(""));
}

TEST_CASE("dates for residents", "[unit][cases]") {
    CHECK(month_day("2026-12-04") == "12月4日");
}

TEST_CASE("the transition table", "[unit][cases]") {
    CHECK(state::can_transition(case_status::accepted, case_status::collecting));
    CHECK(state::can_transition(case_status::in_progress, case_status::returned));
    CHECK(state::can_transition(case_status::done, case_status::rated));
    CHECK_FALSE(state::can_transition(case_status::accepted, case_status::rated));
    CHECK_FALSE(state::can_transition(case_status::done, case_status::cancelled));
    CHECK_FALSE(state::can_transition(case_status::cancelled, case_status::in_progress));
    CHECK_FALSE(state::can_transition(case_status::rated, case_status::done));
    CHECK(state::allowed_from(case_status::rated) == "done");
}

TEST_CASE("an agent is reached privately on the first tenant channel they have an id on",
          "[unit][cases]") {
    namespace h = daiban::handlers;
    using strings = std::vector<std::string>;
    h::agent a;
    a.id = "a_hhl_1";
    a.ids = {{"wechat", "o_agent"}, {"wecom", "hhl1"}};
    // The tenant's order decides, not the agent's ids.
    auto r = private_reach(strings{"hook", "wecom", "wechat"}, a);
    REQUIRE(r);
    CHECK(r->channel == "wecom");
    CHECK(r->id == "hhl1");
    r = private_reach(strings{"hook", "wechat"}, a);
    REQUIRE(r);
    CHECK(r->channel == "wechat");
    CHECK(r->id == "o_agent");
    CHECK_FALSE(private_reach(strings{"hook"}, a));
    CHECK_FALSE(private_reach(strings{}, a));
    a.ids["hook"] = "u_agent_hhl_1";
    CHECK(private_reach(strings{"hook", "wecom", "wechat"}, a)->id == "u_agent_hhl_1");

    // From a handler's context: the tenant data names the agent, the dispatcher the channels.
    h::tenant_data data;
    data.org_.agents.push_back(a);
    h::turn in;
    h::intent understood;
    h::conversation conv;
    h::context ctx{in, understood, conv, &data, h::texts::zh_hans(), 0, {}};
    ctx.staff_channels = {"wecom", "wechat"};
    auto via = private_reach(ctx, "a_hhl_1");
    REQUIRE(via);
    CHECK(via->channel == "wecom");
    CHECK(via->id == "hhl1");
    CHECK_FALSE(private_reach(ctx, "a_nobody"));
    h::context no_data{in, understood, conv, nullptr, h::texts::zh_hans(), 0, {}};
    CHECK_FALSE(private_reach(no_data, "a_hhl_1"));
}
