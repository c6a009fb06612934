// Integration: proxy cases end to end through the real server (JSON hook) and a real Redis —
// the stories of the seeds as a resident and the village agents would live them: 兰向军's
// medical relief, 肖华's family asking how to apply, an unbound resident, a resident trying an
// agent command, personal details in a group, and two races (five photos at once, two agents
// claiming one case).
#include "http_peer.hpp"
#include "resident_hook.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <regex>

using namespace daiban::test;
using nlohmann::json;

TEST_CASE("兰向军: medical relief opened from afar — worked by the village agent — rated",
          "[integration][cases]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person lan{unique("u_lan"), "兰向军"};

    // He says where he is from, then what he needs.
    auto r = h.text(lan, "我是长梁村的");
    CHECK(has(said_to(r, lan.id), "长梁村"));
    CHECK(has(said_to(r, lan.id), agent_cl.name));

    r = h.text(lan, "我妈住院了，想办民政二次救助");
    const auto to_lan = said_to(r, lan.id);
    INFO(to_lan);
    CHECK(has(to_lan, "医疗救助"));
    CHECK(has(to_lan, "户口簿"));
    CHECK(has(to_lan, "出院小结"));
    CHECK(has(to_lan, agent_cl.name));
    const auto n = case_number(to_lan);
    REQUIRE(!n.empty());
    CHECK(std::regex_search(to_lan, std::regex("DEMO-[0-9]{8}-[0-9]{4}")));
    // The village group gets a card: number, item, village, deadline — nothing personal.
    const auto card = said_to(r, "g_cl");
    INFO(card);
    CHECK(has(card, "#" + n));
    CHECK(has(card, "长梁村"));
    CHECK(has(card, "办结时限"));
    CHECK_FALSE(has(card, "兰向军"));
    CHECK_FALSE(has_personal_numbers(card));

    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "catalog_version") == "2026-11-01");
    CHECK(cases.field(n, "status") == "accepted");
    CHECK(cases.field(n, "owner") == "a_cl_1");

    // The agent takes it in the group; the resident hears who handles it.
    r = h.group_text("g_cl", agent_cl, "接单 " + n);
    CHECK(has(said_to(r, "g_cl"), "已接单"));
    CHECK(has(said_to(r, lan.id), agent_cl.name));

    // Five photos, one by one, each filed under the material the bot asked for.
    r = h.photo(lan, tiny_jpeg(1), "image/jpeg");
    CHECK(has(said_to(r, lan.id), "已收到 1/5"));
    r = h.photo(lan, tiny_png, "image/png");
    auto text = said_to(r, lan.id);
    CHECK(has(text, "已收到 2/5"));
    CHECK(has(text, "还差：医疗费用发票、出院小结、本人银行卡或一卡通"));
    h.photo(lan, tiny_jpeg(3), "image/jpeg");
    h.photo(lan, tiny_jpeg(4), "image/jpeg");
    r = h.photo(lan, tiny_jpeg(5), "image/jpeg");
    CHECK(has(said_to(r, lan.id), "已收到 5/5"));
    CHECK(has(said_to(r, "g_cl"), "材料已交齐"));
    CHECK(cases.field(n, "status") == "ready");
    // The files are on disk, content-addressed.
    const auto sha = cases.field(n, "m:invoice:files");
    REQUIRE(sha.size() == 64);
    CHECK(std::filesystem::exists(bot.data_dir() + "/demo/media/" + sha.substr(0, 2) + "/" + sha +
                                  ".jpg"));

    // The invoice photo is unreadable: 补正. The resident is told exactly what to resend.
    r = h.group_text("g_cl", agent_cl, "补正 " + n + " 发票 看不清");
    CHECK(has(said_to(r, "g_cl"), "医疗费用发票"));
    text = said_to(r, lan.id);
    CHECK(has(text, "医疗费用发票"));
    CHECK(has(text, "看不清"));
    CHECK(cases.field(n, "status") == "returned");

    r = h.photo(lan, tiny_jpeg(6), "image/jpeg");
    CHECK(has(said_to(r, lan.id), "已收到 5/5"));
    CHECK(cases.field(n, "status") == "ready");

    r = h.group_text("g_cl", agent_cl, "通过 " + n);
    CHECK(has(said_to(r, "g_cl"), "进入办理"));
    CHECK(cases.field(n, "status") == "in_progress");

    // 查看 goes to the agent's private chat, with materials and history.
    r = h.group_text("g_cl", agent_cl, "查看 " + n);
    text = said_to(r, agent_cl.id);
    CHECK(has(text, "兰向军"));
    CHECK(has(text, "已通过"));
    CHECK(has(text, "看不清"));
    CHECK(said_to(r, "g_cl").empty());

    r = h.group_text("g_cl", agent_cl, "办结 " + n + " 救助金876.5元已打到一卡通");
    CHECK(has(said_to(r, "g_cl"), "已办结"));
    text = said_to(r, lan.id);
    CHECK(has(text, "876.5"));
    CHECK(has(text, "打个分"));

    r = h.text(lan, "5");
    CHECK(has(said_to(r, lan.id), "非常满意"));
    CHECK(cases.field(n, "status") == "rated");
    CHECK(cases.field(n, "rating") == "5");

    r = h.group_text("g_cl", agent_cl, "统计");
    text = said_to(r, "g_cl");
    INFO(text);
    CHECK(has(text, "长梁村"));
    CHECK(has(text, "办结 1 件"));
    CHECK(has(text, "办结率 100.0%"));
    CHECK(has(text, "满意率 100.0%"));

    // The same message delivered again opens nothing new: the hook answers it as a duplicate,
    // with what the first delivery said.
    const json again = merged(hook::base(lan, "private", lan.id, "text"),
                              json{{"text", "我妈住院了，想办民政二次救助"}});
    auto first = h.send(again);
    auto second = h.send(again);
    CHECK(first["duplicate"] == false);
    CHECK(second["duplicate"] == true);
    CHECK(second["replies"] == first["replies"]);
}

TEST_CASE("肖华's family asks which materials and how to apply", "[integration][cases][guide]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person family{unique("u_xiao"), "肖华家属"};

    auto r = h.text(family, "看病报销要什么材料");
    auto text = said_to(r, family.id);
    INFO(text);
    CHECK(has(text, "医疗费用报销"));
    CHECK(has(text, "居民身份证"));
    CHECK(has(text, "出院小结"));
    CHECK(has(text, "费用明细清单"));

    // "怎么办理" leans on what the conversation is about: the same item, no question back.
    r = h.text(family, "怎么办理");
    text = said_to(r, family.id);
    INFO(text);
    CHECK(has(text, "医疗费用报销"));
    CHECK(has(text, "办理时限：20个工作日"));
    CHECK(has(text, "免费"));

    // Once their village is known, the office is their own township's hall.
    h.text(family, "我是五里山村的");
    r = h.text(family, "医疗报销怎么办理");
    CHECK(has(said_to(r, family.id), "秀水河子镇"));

    // An item that needs the resident in person says so (领办).
    r = h.text(family, "办残疾证怎么办理");
    CHECK(has(said_to(r, family.id), "本人到场"));

    // A new conversation about no item yet: numbered choices, and "1" picks the first.
    const person other{unique("u_xiao2"), "肖华邻居"};
    r = h.text(other, "怎么办理");
    CHECK(has(said_to(r, other.id), "1. "));
    r = h.text(other, "1");
    text = said_to(r, other.id);
    INFO(text);
    CHECK(has(text, "办理时限"));
}

TEST_CASE("an unbound resident is asked for the village — by text or by QR code",
          "[integration][cases][village]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_new"), "王大姐"};

    auto r = h.text(resident, "我想办低保");
    auto text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "哪个村"));
    CHECK(has(text, "黄花岭村"));
    CHECK(case_number(text).empty());

    r = h.text(resident, "黄花岭村");
    text = said_to(r, resident.id);
    INFO(text);
    const auto n = case_number(text);
    REQUIRE(!n.empty());
    CHECK(has(text, "最低生活保障"));
    CHECK(has(text, agent_hhl_1.name));
    CHECK(has(said_to(r, "g_hhl"), "#" + n));

    // The binding belongs to the resident: asked again later, the bot knows.
    redis_reader redis(fixture_redis());
    CHECK(redis.hget("dbn:{demo}:resident:hook:" + resident.id, "village") == "hhl");

    // Withdrawing asks first.
    r = h.text(resident, "这个事不办了，帮我撤销");
    CHECK(has(said_to(r, resident.id), "确定要撤销 #" + n));
    r = h.text(resident, "是的");
    CHECK(has(said_to(r, resident.id), "已撤销 #" + n));

    // Scanning the village's QR code binds without a word.
    const person scanner{unique("u_scan"), "刘师傅"};
    r = h.event(scanner, "subscribe", "qrscene_village:sjz");
    CHECK(has(said_to(r, scanner.id), "十家子村"));
    CHECK(redis.hget("dbn:{demo}:resident:hook:" + scanner.id, "village") == "sjz");

    // And "我的代理员" then needs no question; the phone number stays out of groups.
    r = h.group_text("g_sjz", scanner, "找代理员", true);
    CHECK(has(said_to(r, scanner.id), "武德胜"));
    CHECK_FALSE(has_personal_numbers(said_to(r, "g_sjz")));
}

TEST_CASE("a resident typing an agent command is politely refused", "[integration][cases]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_curious"), "好奇的居民"};
    auto r = h.text(resident, "接单 1");
    CHECK(has(said_to(r, resident.id), "代理员的口令"));
    r = h.group_text("g_hhl", resident, "办结 1 好了");
    CHECK(has(said_to(r, "g_hhl"), "代理员的口令"));
    r = h.text(resident, "通过 1");
    CHECK(has(said_to(r, resident.id), "代理员的口令"));
    // An agent with a malformed command gets the usage.
    r = h.text(agent_hhl_1, "接单");
    CHECK(has(said_to(r, agent_hhl_1.id), "口令格式"));
}

TEST_CASE("an ID-card number posted in a group: private reply and a warning to recall it",
          "[integration][cases][privacy]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_oops"), "张三"};
    // 11010519491231002X has a valid GB 11643 check digit.
    auto r = h.group_text("g_hhl", resident, "我的身份证号是11010519491231002X，帮我查下");
    const auto group = said_to(r, "g_hhl");
    INFO(group);
    CHECK(has(group, "撤回"));
    CHECK_FALSE(has_personal_numbers(group));
    CHECK(has(said_to(r, resident.id), "撤回"));
    // A number that fails the checksum is just a number.
    r = h.group_text("g_hhl", resident, "订单号110105194912310021");
    CHECK(r["replies"].empty());
}

TEST_CASE("five photos sent at the same moment are all filed", "[integration][cases][race]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_five"), "赵大哥"};
    h.text(resident, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(resident, "我想办二次救助"), resident.id));
    REQUIRE(!n.empty());

    std::atomic<int> ok{0};
    std::vector<std::thread> senders;
    for (int i = 0; i < 5; ++i)
        senders.emplace_back([&, i] {
            hook mine(bot);
            auto [status, res] = mine.send_from_thread(hook::photo_body(
                resident, tiny_jpeg(static_cast<unsigned char>(40 + i)), "image/jpeg"));
            if (status == 200 && has(said_to(res, resident.id), "收到")) ++ok;
        });
    for (auto& t : senders)
        t.join();
    CHECK(ok == 5);
    redis_hash cases(fixture_redis());
    for (const auto* m : {"id_card", "hukou_book", "invoice", "discharge_summary", "bank_card"}) {
        INFO(m);
        CHECK(cases.field(n, std::string("m:") + m + ":state") == "received");
        CHECK(cases.field(n, std::string("m:") + m + ":files").size() == 64);
    }
    CHECK(cases.field(n, "status") == "ready");
}

TEST_CASE("two agents claiming one case at once: exactly one owner", "[integration][cases][race]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_race"), "钱阿姨"};
    h.text(resident, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(resident, "我想办高龄津贴"), resident.id));
    REQUIRE(!n.empty());

    std::mutex m;
    std::vector<std::string> answers;
    std::vector<std::thread> agents;
    for (const auto* a : {&agent_hhl_1, &agent_hhl_2})
        agents.emplace_back([&, a] {
            hook mine(bot);
            auto [status, res] = mine.send_from_thread(hook::group_body("g_hhl", *a, "接单 " + n));
            std::lock_guard lock(m);
            answers.push_back(status == 200 ? said_to(res, "g_hhl")
                                            : "status " + std::to_string(status));
        });
    for (auto& t : agents)
        t.join();
    REQUIRE(answers.size() == 2);
    const int won = has(answers[0], "已接单 #") + has(answers[1], "已接单 #");
    const int lost = has(answers[0], "已由") + has(answers[1], "已由");
    CHECK(won == 1);
    CHECK(lost == 1);
    redis_hash cases(fixture_redis());
    const auto owner = cases.field(n, "owner");
    CHECK((owner == "a_hhl_1" || owner == "a_hhl_2"));
    CHECK(cases.field(n, "claimed_by") == owner);
}

TEST_CASE("转办 up to the township — and a bad rating reaches the supervisor for a follow-up",
          "[integration][cases]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_hua"), "华仲军"};
    const person village_agent{"u_agent_db_1", "罗志勇"};
    const person supervisor{"u_agent_zl_sup", "杨晓燕"};

    h.text(resident, "我是杜坝村的");
    auto r = h.text(resident, "我想办危房改造");
    const auto n = case_number(said_to(r, resident.id));
    REQUIRE(!n.empty());
    CHECK(has(said_to(r, "g_db"), "#" + n));

    r = h.group_text("g_db", village_agent, "待办");
    CHECK(has(said_to(r, "g_db"), "#" + n));

    r = h.group_text("g_db", village_agent, "转办 " + n + " 镇 需要镇里评估房屋");
    CHECK(has(said_to(r, "g_db"), "已转办给" + supervisor.name));
    const auto notice = said_to(r, "g_zl");
    INFO(notice);
    CHECK(has(notice, "【转办】#" + n));
    CHECK(has(notice, "需要镇里评估房屋"));
    CHECK_FALSE(has(notice, resident.name));

    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "owner") == "a_zl_sup");
    CHECK(cases.field(n, "status") == "transferred");
    CHECK(cases.field(n, "level") == "township");

    // The supervisor now has it in their list; the village agent no longer does.
    CHECK(has(said_to(h.text(supervisor, "待办"), supervisor.id), "#" + n));
    CHECK_FALSE(has(said_to(h.group_text("g_db", village_agent, "待办"), "g_db"), "#" + n + " "));

    r = h.text(supervisor, "办结 " + n + " 已纳入改造名单");
    CHECK(has(said_to(r, resident.id), "打个分"));

    r = h.text(resident, "不满意");
    CHECK(has(said_to(r, resident.id), "很抱歉"));
    const auto warning = said_to(r, "g_zl");
    INFO(warning);
    CHECK(has(warning, "回访预警"));
    CHECK(has(warning, "#" + n));
    CHECK(cases.field(n, "follow_up") == "1");
    CHECK(cases.field(n, "rating") == "2");

    // A done case cannot be claimed or closed again.
    r = h.text(supervisor, "办结 " + n + " 再来一次");
    CHECK(has(said_to(r, supervisor.id), "不能再操作"));
}

TEST_CASE("a photo the bot did not ask for: which item is it? Wrong files are refused clearly",
          "[integration][cases][materials]") {
    bot_process bot(fixture_redis());
    hook h(bot);
    const person resident{unique("u_photo"), "孙大妈"};
    h.text(resident, "我是黄花岭村的");
    const auto n = case_number(said_to(h.text(resident, "我想办二次救助"), resident.id));
    REQUIRE(!n.empty());
    // Talking about something else drops the bot's "please send the ID card".
    h.text(resident, "我的事办得怎么样了");

    auto r = h.photo(resident, tiny_jpeg(70), "image/jpeg");
    auto text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "这是哪一项"));
    CHECK(has(text, "3. 医疗费用发票"));
    r = h.text(resident, "3");
    text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "收到医疗费用发票"));
    CHECK(has(text, "已收到 1/5"));
    redis_hash cases(fixture_redis());
    CHECK(cases.field(n, "m:invoice:state") == "received");

    // A GIF claiming to be a JPEG is refused.
    r = h.photo(resident, "GIF89a\x01\x00\x01\x00", "image/jpeg");
    CHECK(has(said_to(r, resident.id), "JPG/PNG"));
    // A bridge may send a link instead of the bytes: the bot downloads it and files it.
    callback_server files(free_port());
    files.body = tiny_jpeg(71);
    files.content_type = "image/jpeg";
    files.start();
    json link = hook::base(resident, "private", resident.id, "image");
    link["media"] = {{"url", "http://127.0.0.1:" + std::to_string(files.port()) + "/p/71.jpg"}};
    r = h.send(link);
    text = said_to(r, resident.id);
    INFO(text);
    CHECK(has(text, "这是哪一项"));
    r = h.text(resident, "1");
    CHECK(has(said_to(r, resident.id), "已收到 2/5"));
    CHECK(files.requests().size() == 1);
    // A link that leads nowhere: the resident is asked to send the photo again.
    files.status_ = 404;
    link["id"] = unique("m");
    r = h.send(link);
    CHECK(has(said_to(r, resident.id), "没能收到"));
    // A link to a file over the 10 MB a material may have: the resident is told the limit, not
    // asked to send the same file again.
    files.status_ = 200;
    files.body = tiny_jpeg(72) + std::string(11 << 20, '\0');
    link["id"] = unique("m");
    r = h.send(link);
    INFO(said_to(r, resident.id));
    CHECK(has(said_to(r, resident.id), "太大了（超过 10 MB）"));
    CHECK(cases.field(n, "m:hukou_book:state") != "received");

    // Documents handed over in person: the owner is asked to confirm.
    r = h.text(resident, "材料交给代理员了");
    CHECK(has(said_to(r, resident.id), "确认"));
    CHECK(has(said_to(r, "g_hhl"), "#" + n));
}
