// Unit: the outbound pieces without I/O — menu validation (what `daiban menu push` refuses),
// the push payload round trip, backoff, routing (which channel a reply or an agent's reminder
// travels on, what a hook response or a passive reply may carry), customer-service bodies, URL
// splitting.
#include "bot/channels/json_hook.hpp"
#include "bot/channels/wechat_channel.hpp"
#include "bot/outbound/delivery.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/outbound/menu.hpp"
#include "bot/outbound/outbox.hpp"
#include "bot/replies/codec.hpp"
#include "bot/replies/routing.hpp"
#include "common/sha256.hpp"
#include "model/intents.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

using namespace daiban;
using nlohmann::json;

namespace {
json demo_menu() {
    std::ifstream f(std::string(DAIBAN_SOURCE_DIR) + "/deploy/tenants/demo/menu.json");
    std::stringstream s;
    s << f.rdbuf();
    return json::parse(s.str());
}
} // namespace

TEST_CASE("the demo menu is valid and every CLICK key means an intent", "[outbound][menu]") {
    const auto menu = demo_menu();
    CHECK(bot::outbound::validate_menu(menu).empty());
    for (const auto& top : menu["button"]) {
        std::vector<json> buttons;
        if (top.contains("sub_button"))
            for (const auto& b : top["sub_button"])
                buttons.push_back(b);
        else
            buttons.push_back(top);
        for (const auto& b : buttons) {
            INFO(b.dump());
            const auto* action = daiban::model::intent_of_menu_key(b["key"].get<std::string>());
            REQUIRE(action != nullptr);
            CHECK(action->menu_phrase == b["name"].get<std::string>());
        }
    }
}

TEST_CASE("menus WeChat would refuse are refused with the button and the limit",
          "[outbound][menu]") {
    auto four = json::parse(R"({"button":[{"type":"click","name":"a","key":"A"},
        {"type":"click","name":"b","key":"B"},{"type":"click","name":"c","key":"C"},
        {"type":"click","name":"d","key":"D"}]})");
    auto p = bot::outbound::validate_menu(four);
    REQUIRE(p.size() == 1);
    CHECK(p[0].find("1 to 3") != std::string::npos);

    auto long_name =
        json::parse(R"({"button":[{"type":"click","name":"办事指南大全集","key":"A"}]})");
    p = bot::outbound::validate_menu(long_name);
    REQUIRE(p.size() == 1);
    CHECK(p[0].find("button[0].name") != std::string::npos);
    CHECK(p[0].find("21 bytes, at most 16") != std::string::npos);

    auto six = json::parse(R"({"button":[{"name":"办事","sub_button":[
        {"type":"click","name":"1","key":"K1"},{"type":"click","name":"2","key":"K2"},
        {"type":"click","name":"3","key":"K3"},{"type":"click","name":"4","key":"K4"},
        {"type":"click","name":"5","key":"K5"},{"type":"click","name":"6","key":"K6"}]}]})");
    CHECK(bot::outbound::validate_menu(six).at(0).find("1 to 5") != std::string::npos);

    auto no_key = json::parse(R"({"button":[{"type":"click","name":"a"},
        {"type":"view","name":"b"},{"type":"click","name":"c","key":"C"}]})");
    p = bot::outbound::validate_menu(no_key);
    REQUIRE(p.size() == 2);
    CHECK(p[0] == "button[0].key: is required for type click");
    CHECK(p[1] == "button[1].url: is required for type view");
}

TEST_CASE("a pushed reply is encoded once: its key and its outbox entry share the encoding",
          "[outbound]") {
    model::reply r;
    r.chat = {model::chat_kind::group, "g_hhl"};
    r.text = "【新代办】#1 医疗救助";
    r.mention = {"u_agent_hhl_1"};
    const auto pushes = bot::replies::to_pushes(nullptr, "demo", "hook", "u_wang:m1", {r});
    REQUIRE(pushes.size() == 1);
    const auto& p = pushes.front();
    CHECK(p.encoded_reply == bot::replies::encode_reply(r));
    // The key means what it meant: a digest of the channel, the message id and the reply as
    // encode_replies writes it, so a retried turn queues the same keys.
    CHECK(p.idempotency_key ==
          "hook:" +
              sha256_hex("hook:u_wang:m1\x1f" + bot::replies::encode_replies({r})).substr(0, 40));
    // The outbox entry is the one a push without the encoding would get.
    auto unencoded = p;
    unencoded.encoded_reply.clear();
    CHECK(bot::outbound::encode_push(p) == bot::outbound::encode_push(unencoded));
    const auto again = bot::replies::to_pushes(nullptr, "demo", "hook", "u_wang:m1", {r});
    CHECK(again.front().idempotency_key == p.idempotency_key);
}

TEST_CASE("a push survives its payload round trip", "[outbound]") {
    bot::replies::push p;
    p.tenant = "demo";
    p.channel = "wechat";
    p.idempotency_key = "wechat:o_1:123:0";
    p.reply.chat = {model::chat_kind::private_chat, "o_1"};
    p.reply.text = "您的申请已受理";
    p.reply.news = model::reply::article{"进度", "已受理", "https://x/1", "https://x/p.jpg"};
    const auto back = bot::outbound::decode_push(bot::outbound::encode_push(p));
    REQUIRE(back);
    CHECK(back->tenant == "demo");
    CHECK(back->channel == "wechat");
    CHECK(back->idempotency_key == p.idempotency_key);
    CHECK(back->reply.chat == p.reply.chat);
    CHECK(back->reply.text == p.reply.text);
    REQUIRE(back->reply.news);
    CHECK(back->reply.news->url == "https://x/1");
    CHECK_FALSE(bot::outbound::decode_push("not json"));
}

TEST_CASE("backoff doubles up to its cap — with jitter", "[outbound]") {
    for (int i = 0; i < 20; ++i) {
        const auto first = bot::outbound::backoff(1, 1000, 300'000).count();
        CHECK(first >= 800);
        CHECK(first <= 1200);
        const auto third = bot::outbound::backoff(3, 1000, 300'000).count();
        CHECK(third >= 3200);
        CHECK(third <= 4800);
        CHECK(bot::outbound::backoff(30, 1000, 300'000).count() <= 360'000);
    }
}

TEST_CASE("customer-service bodies are raw UTF-8 with one article", "[outbound][wechat]") {
    model::reply r;
    r.chat = {model::chat_kind::private_chat, "o_x"};
    r.text = "您好";
    const auto text = bot::outbound::wechat_custom_message("o_x", r);
    CHECK(text.find("您好") != std::string::npos); // never \u escapes (40033)
    CHECK(json::parse(text) ==
          json::parse(R"({"touser":"o_x","msgtype":"text","text":{"content":"您好"}})"));
    r.news = model::reply::article{"标题", "说明", "https://a", "https://b"};
    const auto news = json::parse(bot::outbound::wechat_custom_message("o_x", r));
    CHECK(news["msgtype"] == "news");
    CHECK(news["news"]["articles"].size() == 1);
    CHECK(news["news"]["articles"][0]["picurl"] == "https://b");
}

TEST_CASE("group replies of a hook tenant go to the bridge and private ones stay on their channel",
          "[outbound]") {
    bot::tenant_config t;
    t.id = "demo";
    t.hook = bot::hook_config{};
    t.wechat = bot::wechat_config{};
    model::reply group;
    group.chat = {model::chat_kind::group, "g_hhl"};
    model::reply person;
    person.chat = {model::chat_kind::private_chat, "o_1"};
    CHECK(bot::replies::route_channel(t, group, "wechat") == "hook");
    CHECK(bot::replies::route_channel(t, person, "wechat") == "wechat");
    t.hook.reset();
    t.wecom = bot::wecom_config{};
    t.wecom->group_webhooks["g_hhl"] = "k";
    CHECK(bot::replies::route_channel(t, group, "wecom") == "wecom");
}

TEST_CASE("a reply sent on a channel of its own travels there whatever the turn's channel",
          "[outbound]") {
    bot::tenant_config t;
    t.id = "demo";
    t.hook = bot::hook_config{};
    t.wechat = bot::wechat_config{};
    model::reply resident;
    resident.chat = {model::chat_kind::private_chat, "o_resident"};
    // An agent's turn on the hook bridge tells a WeChat resident.
    resident.channel = "wechat";
    CHECK(bot::replies::route_channel(t, resident, "hook") == "wechat");
    CHECK(bot::replies::route_channel(t, resident, "wecom") == "wechat");
    CHECK(bot::replies::route_channel(t, resident, "timer") == "wechat");
    // A timer's reminder to an agent on WeCom.
    model::reply agent;
    agent.chat = {model::chat_kind::private_chat, "hhl1"};
    agent.channel = "wecom";
    CHECK(bot::replies::route_channel(t, agent, "hook") == "wecom");
    // Without a channel of its own, today's routing.
    resident.channel.clear();
    CHECK(bot::replies::route_channel(t, resident, "hook") == "hook");
    CHECK(bot::replies::route_channel(t, resident, "timer") == "hook");
}

TEST_CASE("agents are reached privately on the tenant's channels in the order hook — wecom — "
          "wechat",
          "[outbound]") {
    using strings = std::vector<std::string>;
    bot::wecom_config app;
    app.corp_id = "ww_corp";
    app.agent_id = "1000002";

    bot::tenant_config hook_only;
    hook_only.hook = bot::hook_config{};
    CHECK(bot::replies::staff_channels(hook_only) == strings{"hook"});

    bot::tenant_config wecom_only;
    wecom_only.wecom = app;
    CHECK(bot::replies::staff_channels(wecom_only) == strings{"wecom"});

    bot::tenant_config wechat_only;
    wechat_only.wechat = bot::wechat_config{};
    CHECK(bot::replies::staff_channels(wechat_only) == strings{"wechat"});

    bot::tenant_config hook_wechat;
    hook_wechat.hook = bot::hook_config{};
    hook_wechat.wechat = bot::wechat_config{};
    CHECK(bot::replies::staff_channels(hook_wechat) == strings{"hook", "wechat"});

    bot::tenant_config all;
    all.hook = bot::hook_config{};
    all.wechat = bot::wechat_config{};
    all.wecom = app;
    CHECK(bot::replies::staff_channels(all) == strings{"hook", "wecom", "wechat"});

    // Group bots alone (no corp or app to send as) cannot message a person.
    bot::tenant_config group_bots;
    group_bots.wechat = bot::wechat_config{};
    group_bots.wecom = bot::wecom_config{};
    group_bots.wecom->group_webhooks["g_hhl"] = "k";
    CHECK(bot::replies::staff_channels(group_bots) == strings{"wechat"});
    CHECK(bot::replies::staff_channels(bot::tenant_config{}).empty());
}

TEST_CASE("a hook turn's response carries only what travels on the hook", "[outbound][hook]") {
    bot::tenant_config t;
    t.hook = bot::hook_config{};
    t.wechat = bot::wechat_config{};
    model::reply to_agent, to_group, to_resident;
    to_agent.chat = {model::chat_kind::private_chat, "u_agent_hhl_1"};
    to_agent.text = "已办结";
    to_group.chat = {model::chat_kind::group, "g_hhl"};
    to_group.text = "#12 已办结";
    to_resident.chat = {model::chat_kind::private_chat, "o_resident"};
    to_resident.text = "您的申请已办结";
    to_resident.channel = "wechat";
    auto split = bot::channels::split_hook_replies(t, {to_agent, to_resident, to_group});
    REQUIRE(split.response.size() == 2);
    CHECK(split.response[0].chat.id == "u_agent_hhl_1");
    CHECK(split.response[1].chat.id == "g_hhl");
    REQUIRE(split.elsewhere.size() == 1);
    CHECK(split.elsewhere[0].chat.id == "o_resident");
    // A hook resident told on the hook stays in the response, in the hook's own reply shape.
    to_resident.channel = "hook";
    auto here = bot::channels::split_hook_replies(t, {to_resident});
    CHECK(here.elsewhere.empty());
    REQUIRE(here.response.size() == 1);
    CHECK(here.response[0].channel.empty());
}

TEST_CASE("a reply to the sender on another channel is not the passive reply",
          "[outbound][wechat]") {
    model::reply mine, other_channel;
    mine.chat = {model::chat_kind::private_chat, "o_me"};
    mine.text = "收到";
    other_channel.chat = mine.chat;
    other_channel.text = "请在群里查看";
    other_channel.channel = "hook";
    auto split = bot::channels::split_passive({other_channel, mine}, &mine.chat, "wechat");
    REQUIRE(split.passive);
    CHECK(split.passive->text == "收到");
    REQUIRE(split.pushes.size() == 1);
    CHECK(split.pushes[0].channel == "hook");
    // Its own channel named explicitly is still passive.
    other_channel.channel = "wechat";
    auto same = bot::channels::split_passive({other_channel}, &mine.chat, "wechat");
    CHECK(same.passive);
    CHECK(same.pushes.empty());
}

TEST_CASE("a reply to another chat is never the passive reply", "[outbound][wechat]") {
    model::reply mine, theirs;
    mine.chat = {model::chat_kind::private_chat, "o_me"};
    mine.text = "收到";
    theirs.chat = {model::chat_kind::group, "g_hhl"};
    theirs.text = "新申请";
    auto split = bot::channels::split_passive({theirs, mine}, &mine.chat);
    REQUIRE(split.passive);
    CHECK(split.passive->text == "收到");
    REQUIRE(split.pushes.size() == 1);
    CHECK(split.pushes[0].chat.id == "g_hhl");
}

TEST_CASE("URLs split into scheme — host — port and target", "[outbound]") {
    bot::outbound::url_parts u;
    REQUIRE(bot::outbound::split_url("https://api.weixin.qq.com/cgi-bin/token?a=1", u));
    CHECK(u.tls);
    CHECK(u.host == "api.weixin.qq.com");
    CHECK(u.port == "443");
    CHECK(u.target == "/cgi-bin/token?a=1");
    REQUIRE(bot::outbound::split_url("http://127.0.0.1:8089", u));
    CHECK_FALSE(u.tls);
    CHECK(u.port == "8089");
    CHECK(u.target == "/");
    CHECK_FALSE(bot::outbound::split_url("ftp://x/", u));
}

TEST_CASE("a CLICK key the bot does not know is named before the menu is pushed",
          "[outbound][menu]") {
    auto menu = json::parse(R"({"button":[{"type":"click","name":"办事指南","key":"GUIDE"},
        {"type":"click","name":"社保","key":"SHEBAO"},
        {"type":"view","name":"官网","url":"https://example.cn"}]})");
    const auto keys = daiban::model::menu_keys();
    auto p = bot::outbound::validate_menu(menu, keys);
    REQUIRE(p.size() == 1);
    CHECK(p[0].find("button[1].key: \"SHEBAO\" means nothing to the bot") != std::string::npos);
    CHECK(p[0].find("GUIDE, CASE_NEW, BOOK") != std::string::npos);
    // Without the bot's keys only WeChat's own limits apply.
    CHECK(bot::outbound::validate_menu(menu).empty());
}
