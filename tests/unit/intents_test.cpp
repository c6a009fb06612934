// Unit: the one intent table (model/intents.hpp) and what derives from it — menu keys and the
// phrases on their buttons, the fallback's labels, the agent-command verbs an agent types — and
// the pending question's topic as conversations already in Redis store it.
#include "model/agent_command.hpp"
#include "model/intents.hpp"
#include "state/conversation_store.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace daiban::model;

TEST_CASE("every intent has one row, in enum order, with a unique name", "[unit][intents]") {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < intent_count; ++i) {
        CHECK(static_cast<std::size_t>(intent_table[i].id) == i);
        CHECK(names.insert(intent_table[i].name).second);
        CHECK(intent_named(intent_table[i].name) == intent_table[i].id);
    }
    CHECK_FALSE(intent_named("intent"));
    CHECK(name_of(intent_id::open_case) == "open_case");
    CHECK(for_agents(intent_id::agent_claim));
    CHECK_FALSE(for_agents(intent_id::open_case));
}

TEST_CASE("a menu key and its button's label both mean the button's intent", "[unit][intents]") {
    for (auto key : menu_keys()) {
        const auto* by_key = intent_of_menu_key(key);
        REQUIRE(by_key);
        const auto* by_phrase =
            intent_of_menu_phrase(" " + std::string(by_key->menu_phrase) + "\n");
        REQUIRE(by_phrase);
        CHECK(by_phrase->id == by_key->id);
    }
    CHECK(intent_of_menu_key("CASE_NEW")->id == intent_id::open_case);
    CHECK(intent_of_menu_key("SHEBAO") == nullptr);
    CHECK(intent_of_menu_key("") == nullptr);
    CHECK(intent_of_menu_phrase("我要代办一件事") == nullptr);
}

TEST_CASE("typed agent commands: verb, case, words", "[unit][intents]") {
    auto c = parse_agent_command("接单 12");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_claim);
    CHECK(c->ref == "12");
    CHECK(c->args.empty());

    c = parse_agent_command("补正12 发票 看不清");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_return);
    CHECK(c->ref == "12");
    CHECK(c->args == std::vector<std::string>{"发票", "看不清"});
    CHECK(c->rest_as_typed == "发票 看不清");

    // An answer relayed to a resident keeps its punctuation.
    c = parse_agent_command("答复 2 已经请村里重新公示低保名单，欢迎您监督。 ");
    REQUIRE(c);
    CHECK(c->ref == "2");
    CHECK(c->rest_as_typed == "已经请村里重新公示低保名单，欢迎您监督。");
    c = parse_agent_command("答复 #12：明天上午九点，在村委会");
    REQUIRE(c);
    CHECK(c->ref == "12");
    CHECK(c->rest_as_typed == "明天上午九点，在村委会");

    c = parse_agent_command("@代办助手\xe2\x80\x85待办");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_list);

    c = parse_agent_command("已办结 #7 已送达");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_done);
    CHECK(c->ref == "7");

    c = parse_agent_command("查看 DEMO-20261122-0012");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_view);
    CHECK(c->ref == "DEMO-20261122-0012");

    // A full-width space before the verb, as phone keyboards type it.
    c = parse_agent_command("\xe3\x80\x80接单 12");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_claim);

    // The case first, as agents also type: "#2 退回 身份证 拍得不清楚", "3号 补正发票 看不清".
    c = parse_agent_command("#2 退回 身份证 拍得不清楚，请重拍");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_return);
    CHECK(c->ref == "2");
    CHECK(c->args == std::vector<std::string>{"身份证", "拍得不清楚", "请重拍"});
    CHECK(c->rest_as_typed == "身份证 拍得不清楚，请重拍");
    c = parse_agent_command("@代办 3号 补正发票 看不清");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_return);
    CHECK(c->ref == "3");
    CHECK(c->args == std::vector<std::string>{"发票", "看不清"});
    CHECK(c->rest_as_typed == "发票 看不清");
    c = parse_agent_command("DEMO-20261122-0012 接单");
    REQUIRE(c);
    CHECK(c->what == intent_id::agent_claim);
    CHECK(c->ref == "DEMO-20261122-0012");
    CHECK_FALSE(parse_agent_command("2 退回 身份证")); // a bare number may be a menu answer
    CHECK_FALSE(parse_agent_command("3号 待办"));      // 待办 takes no case
    CHECK_FALSE(parse_agent_command("2号那件事办好了吗"));
    // A question about a case is no command: asking whether #2 is done must not close it.
    CHECK_FALSE(parse_agent_command("2号 完成了吗"));
    CHECK_FALSE(parse_agent_command("#2 办结了没"));
    CHECK_FALSE(parse_agent_command("#3 退回了？"));

    CHECK_FALSE(parse_agent_command("待办 12")); // 待办 takes no case
    CHECK_FALSE(parse_agent_command("通过"));    // 通过 needs one
    CHECK_FALSE(parse_agent_command("接单吧"));  // not a case number
    CHECK_FALSE(parse_agent_command("我想办低保"));
}

TEST_CASE("a pending question's topic reads back from the stored form", "[unit][intents]") {
    namespace redis = daiban::state::redis;
    auto stored = [](std::string pending) {
        redis::value v;
        v.elements.resize(2);
        v.elements[0].str = "pending";
        v.elements[1].str = std::move(pending);
        return daiban::state::decode_conversation(v).pending;
    };
    auto p = stored(R"({"kind":"village","topic":"open_case:medical_relief","options":["hhl"]})");
    REQUIRE(p);
    CHECK(p->kind == question_kind::village);
    CHECK(p->topic.intent == intent_id::open_case);
    CHECK(p->topic.subject == "medical_relief");
    CHECK(p->options == std::vector<std::string>{"hhl"});
    // Older versions named the fallback's choice "intent": it is the fallback's (unknown).
    p = stored(R"({"kind":"choice","topic":"intent","options":["open_case","help"]})");
    REQUIRE(p);
    CHECK(p->topic.intent == intent_id::unknown);
    p = stored(R"({"kind":"material","topic":"submit_material:12:ab12","options":[]})");
    REQUIRE(p);
    CHECK(p->topic.subject == "12:ab12");
    CHECK_FALSE(stored(R"({"kind":"nonsense","topic":"rate"})"));
}
