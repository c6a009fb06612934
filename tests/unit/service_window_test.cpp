// Unit: the one policy for a WeChat resident the bot cannot message directly (48 h window closed,
// no template): who stands in for them — their contact agent privately, with the content; else
// the village group, without it; else nobody (bot/outbound/service_window.hpp).
#include "bot/outbound/service_window.hpp"

#include <catch2/catch.hpp>

#include <memory>

using namespace daiban;
using bot::outbound::agent_route;

namespace {

model::agent agent(std::string id, std::map<std::string, std::string> ids) {
    model::agent a;
    a.id = std::move(id);
    a.name = a.id;
    a.ids = std::move(ids);
    return a;
}

// A village of two agents: the contact agent (first) and a second one.
bot::tenant_runtime tenant_with(std::map<std::string, std::string> contact_ids,
                                std::map<std::string, std::string> second_ids) {
    auto data = std::make_shared<model::tenant_data>();
    model::village v;
    v.id = "hhl";
    v.name = "黄花岭村";
    v.agents = {"a_hhl_1", "a_hhl_2"};
    v.group = "g_hhl";
    data->org_.villages.push_back(v);
    data->org_.agents.push_back(agent("a_hhl_1", std::move(contact_ids)));
    data->org_.agents.push_back(agent("a_hhl_2", std::move(second_ids)));
    bot::tenant_runtime rt;
    rt.cfg.id = "t";
    rt.data = data;
    return rt;
}

} // namespace

TEST_CASE("closed window: the contact agent privately, on the tenant's first shared staff channel",
          "[unit][window]") {
    auto rt = tenant_with({{"hook", "u_hhl_1"}, {"wechat", "o_hhl_1"}}, {{"hook", "u_hhl_2"}});
    rt.cfg.hook = bot::hook_config{};
    rt.cfg.wechat = bot::wechat_config{};
    const auto* v = rt.data->org_.find_village("hhl");
    auto r = bot::outbound::route_to_agents(rt, v, nullptr, true);
    CHECK(r.what == agent_route::kind::relay);
    CHECK(r.channel == "hook");
    CHECK(r.chat_id == "u_hhl_1");
    CHECK(r.mention.empty());
    // Without a hook bridge: the agent's OpenID on the official account.
    rt.cfg.hook.reset();
    r = bot::outbound::route_to_agents(rt, v, nullptr, true);
    CHECK(r.what == agent_route::kind::relay);
    CHECK(r.channel == "wechat");
    CHECK(r.chat_id == "o_hhl_1");
}

TEST_CASE("closed window: the village group, without content, only when the contact agent is out "
          "of private reach",
          "[unit][window]") {
    // The contact agent is only on WeCom, which this tenant has no app for (group bots only).
    auto rt = tenant_with({{"wecom", "hhl1"}}, {{"wecom", "hhl2"}});
    rt.cfg.wechat = bot::wechat_config{};
    rt.cfg.wecom = bot::wecom_config{};
    rt.cfg.wecom->corp_id = "ww";
    rt.cfg.wecom->group_webhooks["g_hhl"] = "key";
    const auto* v = rt.data->org_.find_village("hhl");
    auto r = bot::outbound::route_to_agents(rt, v, nullptr, true);
    CHECK(r.what == agent_route::kind::group_note);
    CHECK(r.channel == "wecom");
    CHECK(r.chat_id == "g_hhl");
    CHECK(r.mention == std::vector<std::string>{"hhl1", "hhl2"});
    // With the WeCom app configured the agent is reachable privately after all.
    rt.cfg.wecom->agent_id = "1000002";
    r = bot::outbound::route_to_agents(rt, v, nullptr, true);
    CHECK(r.what == agent_route::kind::relay);
    CHECK(r.channel == "wecom");
    CHECK(r.chat_id == "hhl1");
    // A reply with nothing an agent could pass on (an image only): the group note instead.
    r = bot::outbound::route_to_agents(rt, v, nullptr, false);
    CHECK(r.what == agent_route::kind::group_note);
    // No webhook for the village's group: nobody.
    rt.cfg.wecom->group_webhooks.clear();
    CHECK(bot::outbound::route_to_agents(rt, v, nullptr, false).what == agent_route::kind::none);
}

TEST_CASE("closed window: nobody when the village is unknown or the tenant has no data",
          "[unit][window]") {
    auto rt = tenant_with({{"hook", "u_hhl_1"}}, {});
    rt.cfg.hook = bot::hook_config{};
    CHECK(bot::outbound::route_to_agents(rt, nullptr, nullptr, true).what ==
          agent_route::kind::none);
    const auto* v = rt.data->org_.find_village("hhl");
    bot::tenant_runtime no_data;
    no_data.cfg = rt.cfg;
    CHECK(bot::outbound::route_to_agents(no_data, v, nullptr, true).what ==
          agent_route::kind::none);
}

TEST_CASE("a relay passes on the text, a news reply's title and link, nothing for an image",
          "[unit][window]") {
    model::reply r;
    r.text = "提醒：明天上午10:00";
    CHECK(bot::outbound::relay_content(r) == "提醒：明天上午10:00");
    r.text.clear();
    r.news = model::reply::article{"办事指南", "说明", "https://example.org/g", ""};
    CHECK(bot::outbound::relay_content(r) == "办事指南\nhttps://example.org/g");
    r.news.reset();
    r.image_media_id = "media-1";
    CHECK(bot::outbound::relay_content(r).empty());
}

TEST_CASE("closed window: a household's contact cadre stands in before the village's first agent",
          "[unit][window][households]") {
    auto rt = tenant_with({{"hook", "u_hhl_1"}}, {{"hook", "u_hhl_2"}});
    rt.cfg.hook = bot::hook_config{};
    auto data = std::const_pointer_cast<model::tenant_data>(rt.data);
    model::household h;
    h.id = "h1";
    h.head = "张国强";
    h.village = "hhl";
    h.contact = "a_hhl_2";
    h.ids["wechat"] = "o_zhang";
    data->org_.households.push_back(h);
    const auto* v = rt.data->org_.find_village("hhl");
    const auto* zhang = rt.data->org_.household_by_platform_id("wechat", "o_zhang");
    REQUIRE(zhang);
    auto r = bot::outbound::route_to_agents(rt, v, zhang, true);
    CHECK(r.what == agent_route::kind::relay);
    CHECK(r.chat_id == "u_hhl_2");
}
