// Unit: the pure checks behind cases — the status transition table, file types by their first
// bytes, and where an agent is reached privately.
#include "handlers/case_support.hpp"
#include "state/case_store.hpp"

#include <catch2/catch.hpp>

using namespace daiban::handlers::cases;
using daiban::state::case_status;
namespace state = daiban::state;

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
    // A store set on a connection that never connects: this code path reads no store.
    boost::asio::io_context io;
    daiban::state::redis::connection redis(io.get_executor(), {});
    h::redis_stores stores(redis, "");
    h::context ctx{in, understood, conv, &data, h::texts::zh_hans(), stores.view, 0, {}};
    ctx.staff_channels = {"wecom", "wechat"};
    auto via = private_reach(ctx, "a_hhl_1");
    REQUIRE(via);
    CHECK(via->channel == "wecom");
    CHECK(via->id == "hhl1");
    CHECK_FALSE(private_reach(ctx, "a_nobody"));
    h::context no_data{in, understood, conv, nullptr, h::texts::zh_hans(), stores.view, 0, {}};
    CHECK_FALSE(private_reach(no_data, "a_hhl_1"));
}
