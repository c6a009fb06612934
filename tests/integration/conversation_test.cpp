// Integration: conversations a resident can trust, through the real server (JSON hook) and a
// real Redis. The bot never acts on a misunderstanding: a question is answered and opens nothing
// until the resident says "是"; a correction withdraws the case it opened by mistake and tells
// the village group; photos are never dropped or misfiled; a pending question yields to a rating;
// hours, fees and thanks get real answers; agents read names and words, not ids and codes.
#include "resident_hook.hpp"

#include <catch2/catch.hpp>

using namespace daiban::test;
using nlohmann::json;

namespace {

// The cases a resident has in Redis (the store's per-resident index).
long long cases_of(const person& p) {
    redis_reader r(fixture_redis());
    return r.zcard("dbn:{demo}:cases:resident:hook:" + p.id);
}

} // namespace

TEST_CASE("a question about a service is answered first — a case opens only on 是",
          "[integration][conversation]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_ask"), "肖华"};
    h.text(p, "我是黄花岭村的");

    auto r = h.text(p, "我妈住院了 二次救助能办不");
    auto text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "办理条件"));
    CHECK(has(text, "回“是”"));
    CHECK(case_number(text).empty());
    CHECK(said_to(r, "g_hhl").empty()); // no card in the village group
    CHECK(cases_of(p) == 0);

    r = h.text(p, "是");
    text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "已为您受理"));
    CHECK(has(text, "医疗救助"));
    CHECK(!case_number(text).empty());
    CHECK(has(said_to(r, "g_hhl"), "【新代办】"));
    CHECK(cases_of(p) == 1);

    // "不用" to the same offer opens nothing.
    const person q{unique("u_ask2"), "王婶"};
    h.text(q, "我是黄花岭村的");
    h.text(q, "低保要什么条件");
    r = h.text(q, "不用了");
    CHECK(has(said_to(r, q.id), "先不办"));
    CHECK(cases_of(q) == 0);
}

TEST_CASE("a correction (不是户口 是医疗费报销) withdraws the wrong case and tells the group",
          "[integration][conversation]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_fix"), "赵大哥"};
    h.text(p, "我是黄花岭村的");
    auto r = h.text(p, "帮我补办户口本");
    const auto wrong = case_number(said_to(r, p.id));
    REQUIRE(!wrong.empty());
    REQUIRE(has(said_to(r, "g_hhl"), "#" + wrong));

    r = h.text(p, "不是户口，是医疗费报销");
    auto text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "已经撤回"));
    CHECK(has(text, "医疗费用报销"));
    CHECK(has(text, "回“是”"));
    const auto group = said_to(r, "g_hhl");
    INFO(group);
    CHECK(has(group, "更正"));
    CHECK(has(group, "#" + wrong));
    redis_hash cases(fixture_redis());
    CHECK(cases.field(wrong, "status") == "cancelled");

    r = h.text(p, "是的");
    text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "已为您受理"));
    CHECK(has(text, "医疗费用报销"));
    const auto right = case_number(text);
    CHECK(cases.field(right, "service") == "medical_reimburse");
}

TEST_CASE("a correction after the agent took the case withdraws nothing by itself",
          "[integration][conversation]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_late"), "孙大妈"};
    h.text(p, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(p, "帮我补办户口本"), p.id));
    REQUIRE(!n.empty());
    h.group_text("g_hhl", agent_hhl_1, "接单 " + n);
    auto r = h.text(p, "搞错了");
    const auto text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "撤销 " + n));
    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "status") != "cancelled");

    // The form the bot suggests works, with its confirmation.
    r = h.text(p, "撤销 " + n);
    CHECK(has(said_to(r, p.id), "确定要撤销 #" + n));
    r = h.text(p, "是");
    CHECK(has(said_to(r, p.id), "已撤销"));
    CHECK(cases.field(n, "status") == "cancelled");
}

TEST_CASE("two photos before the resident answers: both kept and each asked about in turn",
          "[integration][conversation][materials]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_two"), "钱大姐"};
    h.text(p, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(p, "我想办二次救助"), p.id));
    REQUIRE(!n.empty());
    h.text(p, "我的事办得怎么样了"); // the bot no longer waits for a particular photo

    auto r = h.photo(p, tiny_jpeg(90), "image/jpeg");
    CHECK(has(said_to(r, p.id), "这是哪一项"));
    r = h.photo(p, tiny_jpeg(91), "image/jpeg");
    auto text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "2 张"));
    r = h.text(p, "3");
    text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "收到医疗费用发票"));
    CHECK(has(text, "下一张是哪一项"));
    r = h.text(p, "4"); // the list now lacks the invoice: 4 is the bank card
    text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "已收到 2/5"));
    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "m:invoice:state") == "received");
    CHECK(cases.field(n, "m:bank_card:state") == "received");
    CHECK(cases.field(n, "m:invoice:files") != cases.field(n, "m:bank_card:files"));
}

TEST_CASE("after 补正 the next photo is the retake of what was rejected",
          "[integration][conversation][materials]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_retake"), "周大爷"};
    h.text(p, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(p, "我想办二次救助"), p.id));
    REQUIRE(!n.empty());
    h.photo(p, tiny_jpeg(95), "image/jpeg"); // 身份证, as asked
    h.photo(p, tiny_jpeg(96), "image/jpeg"); // 户口簿; the bot now asks for the invoice
    auto r = h.group_text("g_hhl", agent_hhl_1, "补正 " + n + " 身份证 看不清");
    REQUIRE(has(said_to(r, p.id), "看不清"));

    r = h.photo(p, tiny_jpeg(97), "image/jpeg");
    const auto text = said_to(r, p.id);
    INFO(text);
    CHECK(has(text, "收到居民身份证"));
    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "m:id_card:state") == "received");
    CHECK(cases.field(n, "m:invoice:state") == "missing");
}

TEST_CASE("after 办结 a rating in words is taken even while a photo was awaited",
          "[integration][conversation]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_rate"), "吴大嫂"};
    h.text(p, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(p, "我想办二次救助"), p.id));
    REQUIRE(!n.empty());
    h.group_text("g_hhl", agent_hhl_1, "接单 " + n);
    auto r = h.group_text("g_hhl", agent_hhl_1, "办结 " + n + " 已办好");
    REQUIRE(has(said_to(r, p.id), "打个分"));
    r = h.text(p, "5 挺好的，谢谢李大哥");
    CHECK(has(said_to(r, p.id), "非常满意"));
    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "rating") == "5");
}

TEST_CASE("hours — yearly fees — thanks and 那怎么办理 get real answers",
          "[integration][conversation][guide]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_info"), "冯大叔"};
    h.text(p, "我是长梁村的");
    auto text = said_to(h.text(p, "你们几点上班"), p.id);
    INFO(text);
    CHECK(has(text, "四季镇便民服务中心")); // his own township's hall, not 法库镇's
    CHECK(has(text, "08:30"));
    CHECK(!has(text, "没太明白"));

    text = said_to(h.text(p, "医保今年交多少钱"), p.id);
    INFO(text);
    CHECK(has(text, "400元"));
    CHECK(!has(text, "免费"));

    text = said_to(h.text(p, "低保要什么材料"), p.id);
    REQUIRE(has(text, "低保"));
    text = said_to(h.text(p, "那怎么办理"), p.id);
    INFO(text);
    CHECK(has(text, "最低生活保障"));
    CHECK(has(text, "办理时限"));

    text = said_to(h.text(p, "好的 谢谢"), p.id);
    CHECK(has(text, "不客气"));
}

TEST_CASE("a pasted 2000-character message gets an answer and not an error",
          "[integration][conversation]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_long"), "郑师傅"};
    std::string text = "我要反映一下我们村的情况，";
    while (text.size() < 6000)
        text += "前年修路占了我家的地到现在也没有给补偿，找了好几次都说等等，";
    const auto r = h.text(p, text); // REQUIREs a 200
    CHECK(!said_to(r, p.id).empty());
}

TEST_CASE("an agent reads names and words in 查看 — not ids and codes",
          "[integration][conversation][agents]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person p{unique("u_view"), "陈奶奶"};
    h.text(p, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(p, "我想办二次救助"), p.id));
    REQUIRE(!n.empty());
    h.group_text("g_hhl", agent_hhl_1, "接单 " + n);
    h.photo(p, tiny_jpeg(99), "image/jpeg");
    h.group_text("g_hhl", agent_hhl_1, "补正 " + n + " 身份证 反光");
    const auto text = said_to(h.group_text("g_hhl", agent_hhl_1, "查看 " + n), agent_hhl_1.id);
    INFO(text);
    CHECK(has(text, "居民陈奶奶 受理"));
    CHECK(has(text, "李春生 接单"));
    CHECK(has(text, "交来居民身份证"));
    CHECK(has(text, "要求补正居民身份证 反光"));
    for (const char* code : {"opened", "claimed", "material:", "rejected:", "u_view"})
        CHECK(!has(text, code));
}
