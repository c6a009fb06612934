// Unit: the handlers as residents and agents meet them, without Redis — the demo tenant, the NLU
// and in-memory stores (tests/unit/handler_harness.hpp): a case opened from a sentence, 接单 in the
// village group, the privacy warning and the silence in groups, photos filed under the material
// the bot asked for, and 通过 / 补正 changing what the case holds. Texts:
// handlers/texts/zh-Hans.json.
#include "common/sha256.hpp"
#include "handler_harness.hpp"
#include "reply_checks.hpp"
#include "state/errors.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace daiban;
using daiban::test::handler_harness;
using namespace daiban::test::checks;
using person = handler_harness::person;

namespace {

const person resident{"u_wang", "王秀兰"};
const person neighbour{"u_zhang", "张三"};
const person agent_hhl_1{"u_agent_hhl_1", "李春生"}; // a_hhl_1: 黄花岭村's contact agent
const person agent_hhl_2{"u_agent_hhl_2", "孙桂芝"}; // a_hhl_2
const std::string village_group = "g_hhl";
const std::string relief = "医疗救助（民政二次救助、大病救助）";

const model::reply* reply_to(const std::vector<model::reply>& replies,
                             model::chat_kind kind,
                             const std::string& chat_id) {
    for (const auto& r : replies)
        if (r.chat.kind == kind && r.chat.id == chat_id) return &r;
    return nullptr;
}

// A small JPEG as far as anyone checks: its first bytes. `n` makes each one a different file.
std::string jpeg(unsigned char n) {
    std::string bytes("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11);
    bytes += static_cast<char>(n);
    bytes += std::string(64, static_cast<char>(n));
    return bytes;
}

state::case_record stored_case(handler_harness& h, std::int64_t n) {
    auto c = test::run_coroutine(h.stores.cases.get(h.tenant, n));
    REQUIRE(c.has_value());
    return *c;
}

// Today's day number in mainland time (what the case store is given as "today").
std::int64_t today_days(const handler_harness& h) {
    return (h.now_ms / 1000 + 8 * 3600) / 86400;
}

// The resident of 黄花岭村 opens the medical-relief case; its number.
std::int64_t open_relief_case(handler_harness& h, const person& who) {
    h.say(who, "我是黄花岭村的");
    const auto r = h.say(who, "我妈住院了，想办民政二次救助");
    INFO(said_to(r, who.id));
    REQUIRE(has(said_to(r, who.id), "已为您受理"));
    auto mine = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + who.id));
    REQUIRE(!mine.empty());
    return mine.back();
}

// Stores that fail as they do when Redis goes away (state::store_unavailable) on the calls a test
// names in `failing`, and are the harness's in-memory ones otherwise.
struct flaky {
    std::set<std::string> failing;
    void check(const char* call) const {
        if (failing.count(call)) state::throw_unavailable(state::errc::redis_unavailable);
    }
};

class flaky_residents final : public state::resident_store, public flaky {
public:
    explicit flaky_residents(state::resident_store& inner) : inner_(inner) {}
    boost::asio::awaitable<state::resident_profile> get(const std::string& tenant,
                                                        const std::string& resident) override {
        check("get");
        co_return co_await inner_.get(tenant, resident);
    }
    boost::asio::awaitable<void> set(const std::string& tenant,
                                     const std::string& resident,
                                     const std::string& field,
                                     const std::string& value) override {
        check("set");
        co_await inner_.set(tenant, resident, field, value);
    }
    boost::asio::awaitable<void> touch(const std::string& tenant,
                                       const std::string& resident,
                                       const state::resident_profile& p) override {
        check("touch");
        co_await inner_.touch(tenant, resident, p);
    }
    boost::asio::awaitable<std::vector<std::string>>
    in_village(const std::string& tenant, const std::string& village) override {
        check("in_village");
        co_return co_await inner_.in_village(tenant, village);
    }

private:
    state::resident_store& inner_;
};

class flaky_timers final : public state::timer_store, public flaky {
public:
    explicit flaky_timers(state::timer_store& inner) : inner_(inner) {}
    boost::asio::awaitable<void> schedule(const std::string& tenant,
                                          const state::timer& t) override {
        check("schedule");
        co_await inner_.schedule(tenant, t);
    }
    boost::asio::awaitable<std::int64_t> cancel(const std::string& tenant,
                                                std::vector<std::string> ids) override {
        check("cancel");
        co_return co_await inner_.cancel(tenant, std::move(ids));
    }
    boost::asio::awaitable<std::vector<state::timer>>
    claim(const std::string& tenant, std::int64_t now_ms, int limit) override {
        check("claim");
        co_return co_await inner_.claim(tenant, now_ms, limit);
    }
    boost::asio::awaitable<bool> settle(const std::string& tenant,
                                        const state::timer& claimed,
                                        bool done,
                                        std::int64_t now_ms) override {
        check("settle");
        co_return co_await inner_.settle(tenant, claimed, done, now_ms);
    }
    boost::asio::awaitable<std::optional<state::timer>> find(const std::string& tenant,
                                                             const std::string& id) override {
        check("find");
        co_return co_await inner_.find(tenant, id);
    }

private:
    state::timer_store& inner_;
};

class flaky_media final : public state::media_store, public flaky {
public:
    explicit flaky_media(state::media_store& inner) : inner_(inner) {}
    boost::asio::awaitable<state::stored_media> put(const std::string& tenant,
                                                    std::string_view bytes,
                                                    const std::string& mime,
                                                    const std::string& ext,
                                                    std::int64_t now) override {
        check("put");
        co_return co_await inner_.put(tenant, bytes, mime, ext, now);
    }

private:
    state::media_store& inner_;
};

} // namespace

TEST_CASE("a resident's case: the village asked for, then opened — checklist, card to the group",
          "[unit][handlers]") {
    handler_harness h;
    auto r = h.say(resident, "我妈住院了，想办民政二次救助");
    auto text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "请问您是哪个村的？"));
    CHECK(has(text, "1. 黄花岭村（法库镇）"));
    CHECK_FALSE(has(text, "已为您受理"));
    REQUIRE(h.conversation("p:" + resident.id).pending);
    CHECK(h.conversation("p:" + resident.id).pending->kind == model::question_kind::village);
    auto none = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + resident.id));
    CHECK(none.empty());

    // Answering the question opens the case it was asked for.
    r = h.say(resident, "黄花岭村");
    text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "已为您受理“" + relief + "”，编号 1（DEMO-20261123-0001）"));
    CHECK(has(text, "负责代理员：李春生，预计 12月14日 前办结"));
    CHECK(has(text, "1. 居民身份证（正反面各拍一张，四角完整、字迹清楚）\n"
                    "2. 户口簿（首页和本人页）\n"
                    "3. 医疗费用发票（医保报销后的结算单和发票，拍照即可）\n"
                    "4. 出院小结（盖医院章）\n"
                    "5. 本人银行卡或一卡通（拍卡号面；须是本人名下）"));
    CHECK(has(text, "先发第一项：居民身份证"));

    // The card: number, item, village, deadline, the owner @-mentioned — nothing personal.
    const auto* card = reply_to(r, model::chat_kind::group, village_group);
    REQUIRE(card);
    INFO(card->text);
    CHECK(has(card->text, "【新代办】#1 " + relief));
    CHECK(has(card->text, "村：黄花岭村"));
    CHECK(has(card->text, "办结时限：12月14日"));
    CHECK(has(card->text, "回“接单 1”认领"));
    CHECK_FALSE(has(card->text, resident.name));
    CHECK(card->mention == std::vector<std::string>{agent_hhl_1.id});

    const auto c = stored_case(h, 1);
    CHECK(c.service == "medical_relief");
    CHECK(c.resident == "hook:" + resident.id);
    CHECK(c.resident_name == resident.name);
    CHECK(c.village == "hhl");
    CHECK(c.owner == "a_hhl_1");
    CHECK(c.claimed_by.empty());
    CHECK(c.status == state::case_status::accepted);
    CHECK(c.due == "2026-12-14");
    CHECK(c.materials.size() == 5);
    CHECK(c.received_count() == 0);
    auto profile = test::run_coroutine(h.stores.residents.get(h.tenant, "hook:" + resident.id));
    CHECK(profile.village == "hhl");
    // The bot now waits for the first document.
    const auto& pending = h.conversation("p:" + resident.id).pending;
    REQUIRE(pending);
    CHECK(pending->kind == model::question_kind::material);
    CHECK(pending->options == std::vector<std::string>{"id_card"});
}

TEST_CASE("a resident in a village's group is of that village: not asked which one",
          "[unit][handlers]") {
    handler_harness h;
    auto r = h.say_in_group(village_group, resident, "我妈住院了，想办民政二次救助", true);
    const auto text = said_to(r, village_group) + said_to(r, resident.id);
    INFO(text);
    CHECK_FALSE(has(text, "哪个村"));
    CHECK(has(text, "已为您受理“" + relief + "”"));
    const auto c = stored_case(h, 1);
    CHECK(c.village == "hhl");
    CHECK(c.owner == "a_hhl_1");
    // In a private chat after, the village is still known: the next case opens at once.
    r = h.say(resident, "我还想办低保");
    INFO(said_to(r, resident.id));
    CHECK_FALSE(has(said_to(r, resident.id), "哪个村"));
    CHECK(has(said_to(r, resident.id), "已为您受理"));
}

TEST_CASE("a retried message opens nothing new", "[unit][handlers]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    model::turn t;
    t.channel = "hook";
    t.id = "retried-1";
    t.chat = {model::chat_kind::private_chat, resident.id};
    t.from_id = resident.id;
    t.text = "我想办二次救助";
    // The server keeps nothing of a turn that failed before its end: the retry meets the
    // conversation as it was.
    const auto before = h.conversation("p:" + resident.id);
    CHECK(has(said_to(h.turn(t), resident.id), "编号 1"));
    h.conversation("p:" + resident.id) = before;
    const auto again = said_to(h.turn(t), resident.id);
    INFO(again);
    CHECK(has(again, "这条消息已经为您受理过了，编号 1"));
    auto mine = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + resident.id));
    CHECK(mine.size() == 1);
}

TEST_CASE("接单 in the village group: the agent takes the case — a resident is refused",
          "[unit][handlers]") {
    handler_harness h;
    const auto n = open_relief_case(h, resident);
    const auto num = std::to_string(n);

    auto r = h.say_in_group(village_group, agent_hhl_1, "接单 " + num);
    const auto* taken = reply_to(r, model::chat_kind::group, village_group);
    REQUIRE(taken);
    INFO(taken->text);
    CHECK(has(taken->text, "已接单 #" + num + "「" + relief + "」，您是负责人。"));
    CHECK(taken->mention == std::vector<std::string>{agent_hhl_1.id});
    // The resident hears who handles it, on the channel the case came from.
    const auto* told = reply_to(r, model::chat_kind::private_chat, resident.id);
    REQUIRE(told);
    CHECK(has(told->text, "已由代理员李春生接手办理"));
    CHECK(told->channel == "hook");
    auto c = stored_case(h, n);
    CHECK(c.claimed_by == "a_hhl_1");
    CHECK(c.owner == "a_hhl_1");

    r = h.say_in_group(village_group, agent_hhl_2, "接单 " + num);
    CHECK(has(said_to(r, village_group), "#" + num + " 已由李春生接单。"));
    r = h.say_in_group(village_group, agent_hhl_1, "接单 " + num);
    CHECK(has(said_to(r, village_group), "#" + num + " 已经是您在办了。"));

    // A resident typing the command: the polite no, where they typed it.
    r = h.say(resident, "接单 1");
    CHECK(said_to(r, resident.id) ==
          "这是代理员的口令，您不能使用。有事直接跟我说就行，比如“我的事办得怎么样了”。");
    r = h.say_in_group(village_group, neighbour, "办结 " + num + " 好了");
    CHECK(has(said_to(r, village_group), "这是代理员的口令，您不能使用。"));
    c = stored_case(h, n);
    CHECK(c.claimed_by == "a_hhl_1");
    CHECK(c.status == state::case_status::accepted);
    auto hist = test::run_coroutine(h.stores.cases.history(h.tenant, n));
    REQUIRE(hist.size() == 2);
    CHECK(hist.back().what == "claimed");
    CHECK(hist.back().who == "a_hhl_1");

    // Asking whether it is done closes nothing — the agent's question, or the resident's about
    // their own case — and the resident is not told it was done.
    r = h.say_in_group(village_group, agent_hhl_1, num + "号办好了吗");
    CHECK_FALSE(has(said_to(r, village_group), "已办结"));
    CHECK(reply_to(r, model::chat_kind::private_chat, resident.id) == nullptr);
    r = h.say(resident, num + "号 完成了吗");
    CHECK_FALSE(has(said_to(r, resident.id), "口令"));
    CHECK(stored_case(h, n).status == state::case_status::accepted);
}

TEST_CASE("an ID-card number in a group: a private reply and a warning, even unaddressed",
          "[unit][handlers]") {
    handler_harness h;
    // 11010519491231002X has a valid GB 11643 check digit.
    auto r = h.say_in_group(village_group, neighbour, "我的身份证号是11010519491231002X，帮我查下");
    REQUIRE(r.size() == 2);
    const auto* privately = reply_to(r, model::chat_kind::private_chat, neighbour.id);
    REQUIRE(privately);
    CHECK(privately->text == "您刚才在群里发了身份证号或手机号，请撤回。办事需要的信息私信发给我就"
                             "行，我会保密。");
    const auto* warning = reply_to(r, model::chat_kind::group, village_group);
    REQUIRE(warning);
    INFO(warning->text);
    CHECK(has(warning->text, "张三，您的消息里有身份证号或手机号，群里人多，请尽快撤回。"));
    CHECK_FALSE(has(warning->text, "11010519491231002X"));
    CHECK(warning->mention == std::vector<std::string>{neighbour.id});

    // Not addressed to the bot: nothing at all. A number failing the checksum is just a number.
    CHECK(h.say_in_group(village_group, neighbour, "今天下午村委会开会吗").empty());
    CHECK(h.say_in_group(village_group, neighbour, "订单号110105194912310021").empty());
    // The same words to the bot get an answer.
    r = h.say_in_group(village_group, neighbour, "帮助", true);
    CHECK(has(said_to(r, village_group), "便民代办助手"));
}

TEST_CASE("a voice message is read like typed words: privacy checks and commands",
          "[unit][handlers]") {
    handler_harness h;
    // The ID-card warning holds for spoken numbers too.
    auto r = h.say_by_voice({model::chat_kind::group, village_group}, neighbour,
                            "我身份证号是11010519491231002X");
    CHECK(reply_to(r, model::chat_kind::private_chat, neighbour.id));
    CHECK(has(said_to(r, village_group), "请尽快撤回"));
    // A voice request is understood as the same words typed.
    handler_harness typed;
    const auto typed_reply = typed.say(resident, "二次救助要什么材料");
    r = h.say_by_voice({model::chat_kind::private_chat, resident.id}, resident,
                       "二次救助要什么材料");
    REQUIRE(r.size() == typed_reply.size());
    REQUIRE_FALSE(r.empty());
    CHECK(r.front().text == typed_reply.front().text);
    CHECK(has(r.front().text, "身份证"));
    // No recognition: a request to say it again, not a guess and not silence.
    r = h.say_by_voice({model::chat_kind::private_chat, resident.id}, resident, "");
    REQUIRE(r.size() == 1);
    CHECK(has(r.front().text, "这条语音我没听清"));
}

TEST_CASE("a photo after the checklist is filed under the material the bot asked for",
          "[unit][handlers]") {
    handler_harness h;
    const auto n = open_relief_case(h, resident);

    const auto first = jpeg(1);
    auto r = h.send_photo(resident, first);
    auto text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "收到居民身份证。已收到 1/5，还差：户口簿、医疗费用发票、出院小结、本人银行卡或"
                    "一卡通。\n下一项请发：户口簿"));
    auto c = stored_case(h, n);
    CHECK(c.status == state::case_status::collecting);
    CHECK(c.material("id_card")->state == "received");
    CHECK(c.material("id_card")->files == std::vector<std::string>{sha256_hex(first)});
    CHECK(c.material("hukou_book")->state == "missing");
    // The bytes are kept, by content.
    const auto* kept = h.stores.media.find(h.tenant, sha256_hex(first));
    REQUIRE(kept);
    CHECK(kept->bytes == first);
    CHECK(kept->mime == "image/jpeg");
    const auto& pending = h.conversation("p:" + resident.id).pending;
    REQUIRE(pending);
    CHECK(pending->options == std::vector<std::string>{"hukou_book"});

    r = h.send_photo(resident, jpeg(2));
    CHECK(has(said_to(r, resident.id), "收到户口簿。已收到 2/5"));
    c = stored_case(h, n);
    CHECK(c.material("hukou_book")->files == std::vector<std::string>{sha256_hex(jpeg(2))});
    CHECK(c.received_count() == 2);

    // Not a photo a case can take: said so, nothing filed.
    r = h.send_photo(resident, "GIF89a not a jpeg");
    CHECK(said_to(r, resident.id) == "这个文件格式我收不了，请发照片（JPG/PNG）或 PDF。");
    CHECK(stored_case(h, n).received_count() == 2);
}

TEST_CASE("asking how the case goes while the bot waits for a photo gets the progress",
          "[unit][handlers]") {
    handler_harness h;
    const auto n = open_relief_case(h, resident);
    for (const char* asked : {"等了十来天了 一点消息都没有", "我那事咋样了"}) {
        const auto r = h.say(resident, asked);
        const auto text = said_to(r, resident.id);
        INFO(asked << " -> " << text);
        CHECK(has(text, "#" + std::to_string(n)));
        CHECK(has(text, "还差材料"));
        CHECK_FALSE(has(text, "照片直接发到这里"));
    }
}

TEST_CASE("photos sent before any case are kept and matched one by one once a case opens",
          "[unit][handlers]") {
    handler_harness h;
    h.say(resident, "我是黄花岭村的");
    auto r = h.send_photo(resident, jpeg(7));
    CHECK(has(said_to(r, resident.id), "照片收到了，我先替您存着"));
    r = h.send_photo(resident, jpeg(8));
    CHECK(has(said_to(r, resident.id), "我一共替您存着 2 张照片"));

    r = h.say(resident, "我妈住院了，想办民政二次救助");
    const auto to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "已为您受理"));
    CHECK(has(to_resident, "您之前发的 2 张照片"));
    auto mine = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + resident.id));
    REQUIRE(mine.size() == 1);
    const auto n = mine.back();
    CHECK(stored_case(h, n).material("invoice")->state == "missing");

    r = h.say(resident, "3"); // the first photo: the invoice
    CHECK(has(said_to(r, resident.id), "收到医疗费用发票"));
    CHECK(has(said_to(r, resident.id), "还有 1 张照片没对上项目"));
    r = h.say(resident, "1"); // the second: the ID card
    CHECK(has(said_to(r, resident.id), "收到居民身份证"));
    const auto c = stored_case(h, n);
    CHECK(c.material("invoice")->state == "received");
    CHECK(c.material("id_card")->state == "received");
    CHECK(c.material("invoice")->files != c.material("id_card")->files);
}

TEST_CASE("通过 and 补正 typed by the agent change the materials — a resent photo resumes the case",
          "[unit][handlers]") {
    handler_harness h;
    const auto n = open_relief_case(h, resident);
    const auto num = std::to_string(n);
    h.send_photo(resident, jpeg(1));
    h.send_photo(resident, jpeg(2));

    auto r = h.say_in_group(village_group, agent_hhl_1, "通过 " + num);
    CHECK(has(said_to(r, village_group), "#" + num + " 已通过已收材料（2/5）。"));
    auto c = stored_case(h, n);
    CHECK(c.material("id_card")->state == "accepted");
    CHECK(c.material("hukou_book")->state == "accepted");
    CHECK(c.material("invoice")->state == "missing");
    CHECK(c.status == state::case_status::collecting);

    // Nothing new received: nothing to approve.
    r = h.say_in_group(village_group, agent_hhl_1, "通过 " + num);
    CHECK(has(said_to(r, village_group), "#" + num + " 还没有收到可以通过的材料。"));

    r = h.say_in_group(village_group, agent_hhl_1, "补正 " + num + " 发票 看不清");
    CHECK(has(said_to(r, village_group),
              "已请居民重新提交 #" + num + " 的医疗费用发票，办理时限暂停计算。"));
    const auto* told = reply_to(r, model::chat_kind::private_chat, resident.id);
    REQUIRE(told);
    INFO(told->text);
    CHECK(has(told->text,
              "#" + num + "「" + relief + "」需要重新提交：医疗费用发票。原因：看不清。"));
    CHECK(told->channel == "hook");
    c = stored_case(h, n);
    CHECK(c.material("invoice")->state == "rejected");
    CHECK(c.material("invoice")->reason == "看不清");
    CHECK(c.status == state::case_status::returned);
    CHECK(c.paused_on == today_days(h));

    // A material the checklist lacks is named back with the checklist (typed case first, as
    // agents also write it).
    r = h.say_in_group(village_group, agent_hhl_1, "#" + num + " 退回 结婚证 没有");
    CHECK(has(said_to(r, village_group), "#" + num + " 的清单里没有“结婚证”。"));

    // The resident sends the invoice again (the bot was waiting for it): the clock runs again.
    r = h.send_photo(resident, jpeg(3));
    CHECK(has(said_to(r, resident.id), "收到医疗费用发票。已收到 3/5"));
    c = stored_case(h, n);
    CHECK(c.material("invoice")->state == "received");
    CHECK(c.material("invoice")->reason.empty());
    CHECK(c.status == state::case_status::collecting);
    CHECK(c.paused_on == 0);
    CHECK(c.due == "2026-12-14");

    r = h.say_in_group(village_group, agent_hhl_1, "通过 " + num + " 发票");
    CHECK(has(said_to(r, village_group), "#" + num + " 已通过医疗费用发票（3/5）。"));
    CHECK(stored_case(h, n).material("invoice")->state == "accepted");
}

TEST_CASE("a store failing in the middle of a turn: the resident hears handler_failed and no case "
          "opens",
          "[unit][handlers][failures]") {
    handler_harness h;
    h.serve_failures = true; // as the server does (bot::dialogue::run_handler)
    flaky_residents residents(h.stores.residents);
    h.use_stores({h.stores.cases, residents, h.stores.appointments, h.stores.timers, h.stores.media,
                  h.stores.tickets, h.stores.faq, h.stores.campaigns, h.stores.console});
    auto r = h.say(resident, "我妈住院了，想办民政二次救助");
    CHECK(has(said_to(r, resident.id), "请问您是哪个村的？"));

    // Redis goes away in the middle of opening the case: the profile is read and the way to reach
    // the resident kept, then keeping their village fails.
    residents.failing = {"set"};
    r = h.say(resident, "黄花岭村");
    CHECK_FALSE(h.handled);
    REQUIRE(r.size() == 1); // nothing the handler had said, no card in the village group
    CHECK(r.front().chat == model::chat_ref{model::chat_kind::private_chat, resident.id});
    CHECK(r.front().text == handlers::texts::zh_hans().get("handler_failed"));
    CHECK(r.front().text == "抱歉，系统刚才出了点问题，您的消息已收到，请稍后再发一次。");
    // Nothing half-done: no case, no question left waiting for an answer.
    auto none = test::run_coroutine(h.stores.cases.by_resident(h.tenant, "hook:" + resident.id));
    CHECK(none.empty());
    CHECK_FALSE(h.conversation("p:" + resident.id).pending);

    // Redis is back: asking again opens the case, the first one (the failed turn took no number).
    residents.failing.clear();
    r = h.say(resident, "我妈住院了，想办民政二次救助");
    CHECK(h.handled);
    const auto text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "已为您受理“" + relief + "”，编号 1（DEMO-20261123-0001）"));
    CHECK(reply_to(r, model::chat_kind::group, village_group));
    auto profile = test::run_coroutine(h.stores.residents.get(h.tenant, "hook:" + resident.id));
    CHECK(profile.village == "hhl");
}

TEST_CASE("办结 while the follow-up cannot be armed: the case is done and everyone hears so",
          "[unit][handlers][failures]") {
    handler_harness h;
    h.serve_failures = true;
    const auto n = open_relief_case(h, resident);
    const auto num = std::to_string(n);
    flaky_residents residents(h.stores.residents);
    flaky_timers timers(h.stores.timers);
    h.use_stores({h.stores.cases, residents, h.stores.appointments, timers, h.stores.media,
                  h.stores.tickets, h.stores.faq, h.stores.campaigns, h.stores.console});
    // The two writes after the case is closed are best effort: their failing fails no turn.
    residents.failing = {"set"};
    timers.failing = {"schedule"};
    auto r = h.say_in_group(village_group, agent_hhl_1, "办结 " + num + " 已到账");
    CHECK(h.handled);
    CHECK(has(said_to(r, village_group),
              "#" + num + "「" + relief + "」已办结，已通知居民并请其评价。"));
    const auto* asked = reply_to(r, model::chat_kind::private_chat, resident.id);
    REQUIRE(asked);
    CHECK(has(asked->text, "#" + num + "「" + relief + "」已办结：已到账"));
    CHECK(stored_case(h, n).status == state::case_status::done);
    auto followup =
        test::run_coroutine(h.stores.timers.find(h.tenant, "case:" + num + ":followup"));
    CHECK_FALSE(followup.has_value());
}

TEST_CASE("a photo that cannot be kept: the resident is asked to send it again",
          "[unit][handlers][failures]") {
    handler_harness h;
    h.serve_failures = true;
    const auto n = open_relief_case(h, resident);
    flaky_media media(h.stores.media);
    h.use_stores({h.stores.cases, h.stores.residents, h.stores.appointments, h.stores.timers, media,
                  h.stores.tickets, h.stores.faq, h.stores.campaigns, h.stores.console});
    media.failing = {"put"};
    auto r = h.send_photo(resident, jpeg(1));
    CHECK(h.handled); // its own words, not the general apology
    CHECK(said_to(r, resident.id) == handlers::texts::zh_hans().get("material_store_failed"));
    CHECK(stored_case(h, n).received_count() == 0);

    CHECK_FALSE(h.stores.media.find(h.tenant, sha256_hex(jpeg(1))));

    media.failing.clear();
    r = h.send_photo(resident, jpeg(1));
    CHECK(h.handled);
    CHECK(h.stores.media.find(h.tenant, sha256_hex(jpeg(1))));
}

TEST_CASE("how much an item pays: the catalogue's rule, or the agent — never a made-up figure, "
          "never the process",
          "[unit][handlers]") {
    handler_harness h;
    auto r = h.say(resident, "低保一个月能领多少钱");
    auto to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "补差"));
    CHECK(has(to_resident, "社会救助暂行办法"));
    CHECK_FALSE(has(to_resident, "这样办"));
    r = h.say(resident, "我妈60了养老金每月能领多少");
    to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "除以139"));
    // An item whose catalogue entry says nothing of it: the agent will say, no number.
    r = h.say(resident, "二次救助能报多少");
    to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "没有准确数字"));
    // How to apply is still the process, and nothing was opened.
    r = h.say(resident, "低保怎么申请");
    to_resident = said_to(r, resident.id);
    INFO(to_resident);
    CHECK(has(to_resident, "这样办"));
    CHECK(test::run_coroutine(h.stores.cases.by_resident(h.tenant, resident.id)).empty());
}
