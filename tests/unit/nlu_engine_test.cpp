// Unit: the NLU engine end to end on a small hand-built tenant: intents, fields, context
// answers, the "ask, don't guess" fallback, and robustness.
#include "bot/nlu/nlu.hpp"

#include <catch2/catch.hpp>

using namespace daiban::bot::nlu;
namespace h = daiban::model;
using daiban::model::intent_id;
using daiban::model::question_kind;

namespace {

std::shared_ptr<const h::tenant_data> tenant() {
    auto d = std::make_shared<h::tenant_data>();
    auto svc = [&](std::string id, std::string name, std::vector<std::string> aliases) {
        h::service_item s;
        s.id = std::move(id);
        s.name = std::move(name);
        s.aliases = std::move(aliases);
        d->catalog_.services.push_back(std::move(s));
    };
    svc("medical_relief", "医疗救助（民政二次救助、大病救助）", {"二次救助"});
    svc("dibao", "最低生活保障（低保）申请", {"低保", "吃低保"});
    svc("hukou_reissue", "户口本补办 / 户籍证明", {"户口本", "户口"});
    svc("social_security_card", "社保卡办理 / 补办 / 激活", {"社保卡"});
    h::village v;
    v.id = "hhl";
    v.name = "黄花岭村";
    d->org_.villages.push_back(v);
    return d;
}

const engine& eng() {
    static const engine e(tenant());
    return e;
}

// Wednesday 2026-11-18 10:00 at +08:00
constexpr reference_time ref{1794967200, 480};

h::intent parse(std::string_view text, const h::pending_question* p = nullptr) {
    return eng().parse(text, ref, p);
}

} // namespace

TEST_CASE("resident requests become intents with their service", "[unit][nlu]") {
    auto i = parse("我妈住院了，想办民政二次救助");
    CHECK(i.name() == "open_case");
    CHECK(i.service == "medical_relief");
    CHECK(i.confidence >= 0.4);

    i = parse("幫我補辦戶口本");
    CHECK(i.name() == "open_case");
    CHECK(i.service == "hukou_reissue");
    CHECK(i.traditional);

    i = parse("低保要准备什么材料");
    CHECK(i.name() == "ask_materials");
    CHECK(i.service == "dibao");

    CHECK(parse("进度怎么样了").name() == "query_progress");
    CHECK(parse("菜单").name() == "help");
    CHECK(parse("着火了快来人").name() == "report_emergency");
}

TEST_CASE("dates — money — villages and ratings are filled in", "[unit][nlu]") {
    auto i = parse("后天上午能去办吗");
    CHECK(i.name() == "book_appointment");
    CHECK(i.date == "2026-11-20");
    CHECK(i.part == "am");

    CHECK(parse("廿号上午能去办吗").date == "2026-11-20"); // 廿 is twenty
    CHECK(parse("廿五号下午").date == "2026-11-25");

    i = parse("钱转给代理员了，一共三百五");
    CHECK(i.name() == "pay_fee");
    CHECK(i.amount == 350);

    i = parse("我是黄花岭的");
    CHECK(i.name() == "bind_village");
    CHECK(i.village == "黄花岭村");
    // A homophone typed by the pinyin keyboard: one character off in the full name.
    CHECK(parse("我是黄花领村的").village == "黄花岭村");
    CHECK_FALSE(parse("我是黄土领村的").village); // two off: not a guess
    CHECK_FALSE(parse("我住在花山村").village);   // another village altogether

    i = parse("非常满意");
    CHECK(i.name() == "rate");
    CHECK(i.score == 5);
    CHECK(parse("差评").score == 1);
    CHECK(parse("一般吧").score == 3);
}

TEST_CASE("agent commands carry the case number", "[unit][nlu]") {
    auto i = parse("接单 12");
    CHECK(i.name() == "agent_claim");
    CHECK(i.case_ref == "12");
    i = parse("#7 办好了");
    CHECK(i.name() == "agent_done");
    CHECK(i.case_ref == "7");
    i = parse("退回 DEMO-20261118-0012 缺户口本");
    CHECK(i.name() == "agent_return");
    CHECK(i.case_ref == "DEMO-20261118-0012");
    i = parse("12号转给县医保局");
    CHECK(i.name() == "agent_transfer");
    CHECK_FALSE(i.date); // 12号 here is the case, not the 12th
    i = parse("#2 退回 身份证 拍得不清楚");
    CHECK(i.name() == "agent_return");
    CHECK(i.case_ref == "2");
    // Asking whether a case is done is no command to close it: the case is still named.
    for (std::string_view asked : {"2号办好了吗", "2号 完成了吗", "#2 办结了没", "3号 退回了？"}) {
        INFO(asked);
        i = parse(asked);
        CHECK(i.name() != "agent_done");
        CHECK(i.name() != "agent_return");
        CHECK(i.case_ref);
    }
}

TEST_CASE("answers are read in the context of the pending question", "[unit][nlu]") {
    h::pending_question date_q{question_kind::date, {intent_id::book_appointment, {}}, {}};
    auto i = parse("明天十点", &date_q);
    CHECK(i.name() == "book_appointment");
    CHECK(i.date == "2026-11-19");
    CHECK(i.time == "10:00");

    h::pending_question choice_q{
        question_kind::choice, {intent_id::open_case, {}}, {"dibao", "medical_relief"}};
    i = parse("2", &choice_q);
    CHECK(i.choice == 2);
    CHECK(i.name() == "open_case");
    i = parse("低保那个", &choice_q);
    CHECK(i.choice == 1);

    h::pending_question confirm_q{question_kind::confirm, {intent_id::cancel_case, "12"}, {}};
    i = parse("好的", &confirm_q);
    CHECK(i.confirm == true);
    CHECK(i.name() == "cancel_case");
    CHECK(parse("算了不用了", &confirm_q).confirm == false);

    h::pending_question rating_q{question_kind::rating, {intent_id::rate, {}}, {}};
    i = parse("4", &rating_q);
    CHECK(i.name() == "rate");
    CHECK(i.score == 4);

    // The fallback's "您是想 1. … 2. …" choice: the number picked is the intent meant.
    h::pending_question meant_q{question_kind::choice, {}, {"open_case", "ask_process"}};
    CHECK(parse("2", &meant_q).name() == "ask_process");

    // Without the question, "2" is not a choice.
    CHECK_FALSE(parse("2").choice);
}

TEST_CASE("unclear messages ask instead of guessing", "[unit][nlu]") {
    auto i = parse("嗯嗯那个啥");
    CHECK(i.name() == "unknown");
    CHECK_FALSE(i.alternatives.empty());
    CHECK(i.alternatives.size() <= 3);
}

TEST_CASE("no input makes parse throw or crash", "[unit][nlu]") {
    std::string junk;
    for (int i = 0; i < 20000; ++i)
        junk.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
    CHECK_NOTHROW(parse(junk));
    CHECK_NOTHROW(parse(""));
    CHECK(parse("").name() == "unknown");
    CHECK_NOTHROW(parse(std::string(5000, '9')));
    CHECK_NOTHROW(parse("点点点点点号号号月月月年年年周周周"));
}

TEST_CASE("a question is read as a question, not as a request to open a case", "[unit][nlu]") {
    auto i = parse("二次救助能办不");
    CHECK(i.name() == "ask_conditions");
    CHECK(i.service == "medical_relief");
    CHECK(parse("家里困难能不能吃低保").name() == "ask_conditions");
    CHECK(parse("低保要什么条件").name() == "ask_conditions");
    // Handing it over in the same breath is a request.
    CHECK(parse("低保能办不 帮我办一下").name() == "open_case");
    CHECK(parse("你们几点上班").name() == "ask_contact");
    CHECK(parse("周六有人上班吗").name() == "ask_contact");
    i = parse("社保卡补办要几个工作日");
    CHECK(i.name() == "ask_process");
}

TEST_CASE("corrections name what was meant, not what was denied", "[unit][nlu]") {
    auto i = parse("不是户口，是二次救助");
    CHECK(i.name() == "correct");
    CHECK(i.service == "medical_relief");
    i = parse("搞错了，我不办户口本");
    CHECK(i.name() == "correct");
    CHECK(!i.service);
    CHECK(parse("不是这个").name() == "correct");
    CHECK(parse("点错了").name() == "correct");
    // A plain "no" to the bot's yes/no question stays a no.
    const h::pending_question confirm{question_kind::confirm, {intent_id::open_case, "dibao"}, {}};
    i = parse("不是", &confirm);
    CHECK(i.name() == "open_case");
    REQUIRE(i.confirm);
    CHECK(!*i.confirm);
    // "不办了" withdraws; it is not a correction.
    CHECK(parse("不办了").name() == "cancel_case");
}

TEST_CASE("thanks, ratings inside thanks and case numbers after 撤销", "[unit][nlu]") {
    CHECK(parse("谢谢").name() == "thanks");
    CHECK(parse("好的知道了").name() == "thanks");
    auto i = parse("5 挺好的，谢谢蒋大姐");
    CHECK(i.name() == "rate");
    CHECK(i.score == 5);
    // A stale "send the photo" question does not swallow a rating.
    const h::pending_question photo{
        question_kind::material, {intent_id::submit_material, "12"}, {"invoice"}};
    i = parse("非常满意，谢谢", &photo);
    CHECK(i.name() == "rate");
    CHECK(i.score == 5);
    for (const char* text : {"撤销 2", "撤销2号", "撤销#2", "撤回 2"}) {
        INFO(text);
        i = parse(text);
        CHECK(i.name() == "cancel_case");
        CHECK(i.case_ref == "2");
        CHECK(!i.date);
    }
    i = parse("12号怎么样了");
    CHECK(i.case_ref == "12");
    i = parse("12号那件事办好没");
    CHECK(i.case_ref == "12");
    CHECK(!i.date);
}

TEST_CASE("a pasted long paragraph is read by its start, quickly", "[unit][nlu]") {
    std::string text = "我要投诉村里低保评得不公平，";
    for (int k = 0; k < 300; ++k)
        text += "我家的情况大家都知道，";
    const auto i = parse(text);
    CHECK(i.normalized.size() <= 1500);
    CHECK(i.name() != "open_case");
}
