// Integration: the staff console's API through the real server and Redis — signing in by the
// one-time link `后台` sends and by password, sessions and CSRF, the agent's reach, a material
// viewed (and the view in the resident's answer to "谁看过我的材料"), a case action from the
// console that reaches the resident exactly as the typed command does, and the monthly report.
#include "http_peer.hpp"
#include "resident_hook.hpp"

#include <catch2/catch.hpp>

#include <ctime>
#include <fstream>
#include <regex>

using namespace daiban::test;

namespace {

const person supervisor_fk{"u_agent_fk_sup", "刘振国"};
const person supervisor_sj{"u_agent_sj_sup", "陈光荣"};

// A browser of our own: keeps the session cookie and the CSRF token.
struct console_client {
    explicit console_client(const bot_process& bot) : c(bot.url(), 10000) {}

    daiban::bot::http::client_response get(const std::string& target) {
        return c.request("GET", target, {}, cookie_header());
    }
    daiban::bot::http::client_response
    post(const std::string& target, const std::string& body, bool with_csrf = true) {
        auto h = cookie_header();
        h.emplace_back("Content-Type", "application/json");
        if (with_csrf) h.emplace_back("X-CSRF-Token", csrf);
        return c.request("POST", target, body, h);
    }
    // Follows the one-time link; true when it signed in.
    bool open_link(const std::string& path_and_query) {
        auto r = c.request("GET", path_and_query);
        if (r.status != 303) return false;
        const auto set = r.header("set-cookie");
        session = set.substr(0, set.find(';'));
        auto me = get("/api/v1/me");
        if (me.status != 200) return false;
        csrf = json::parse(me.body)["csrf"].get<std::string>();
        return true;
    }
    std::vector<std::pair<std::string, std::string>> cookie_header() const {
        if (session.empty()) return {};
        return {{"Cookie", session}};
    }

    daiban::bot::http::client c;
    std::string session, csrf;
};

// The sign-in link in the bot's answer to 后台, as path and query.
std::string link_in(const std::string& text) {
    std::smatch m;
    const std::regex re(R"(https?://[^/\s]+(/console/login\?t=[A-Za-z0-9._-]+))");
    return std::regex_search(text, m, re) ? m[1].str() : "";
}

// Waits up to 5 s for a push to `who` whose body carries `text` (the hook's callback receives
// what the outbox delivers); true when it came.
bool pushed(callback_server& pushes, const std::string& who, const std::string& text) {
    for (int i = 0; i < 100; ++i) {
        for (const auto& p : pushes.requests())
            if (p.body.find(text) != std::string::npos && p.body.find(who) != std::string::npos)
                return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

std::string console_settings() {
    return std::string(R"(,"console":{"public_url":"http://console.test","dir":")") +
           DAIBAN_SOURCE_DIR + R"(/console"})";
}

} // namespace

TEST_CASE("console: sign in by one-time link, see cases in reach, act on one, audit views",
          "[integration][console]") {
    callback_server pushes(free_port());
    pushes.start();
    bot_process bot(fixture_redis(), true, "", console_settings(),
                    ",\"callback_url\":\"" + pushes.url() + "\"");
    hook h(bot);

    // A resident of 黄花岭村 (法库镇) opens a case and sends a photo of the first material.
    const person resident{unique("u_console"), "兰向军"};
    h.text(resident, "我是黄花岭村的");
    auto r = h.text(resident, "我妈住院了，想办民政二次救助");
    const auto n = case_number(said_to(r, resident.id));
    REQUIRE(!n.empty());
    h.photo(resident, tiny_jpeg(7), "image/jpeg");

    console_client fk(bot);
    SECTION("without a session nothing is shown") {
        CHECK(fk.get("/api/v1/cases").status == 401);
        CHECK(fk.get("/api/v1/me").status == 401);
        CHECK(fk.get("/api/v1/cases/" + n).status == 401);
        CHECK(fk.get("/api/v1/kpis").status == 401);
    }

    SECTION("the link signs in once, privately, and the case is there to work") {
        // Asked in the township group: the link goes to the private chat, never the group.
        r = h.group_text("g_fk", supervisor_fk, "后台", true);
        CHECK(link_in(said_to(r, "g_fk")).empty());
        const auto link = link_in(said_to(r, supervisor_fk.id));
        REQUIRE(!link.empty());
        REQUIRE(fk.open_link(link));
        console_client again(bot);
        CHECK_FALSE(again.open_link(link)); // single use
        CHECK(again.c.request("GET", link).status == 401);

        auto me = json::parse(fk.get("/api/v1/me").body);
        CHECK(me["agent"]["name"] == "刘振国");
        CHECK(me["scope"]["kind"] == "township");
        CHECK(me["scope"]["name"] == "法库镇");

        auto list = json::parse(fk.get("/api/v1/cases?village=hhl&limit=100").body);
        bool listed = false;
        for (const auto& c : list["cases"])
            listed = listed || std::to_string(c["number"].get<long long>()) == n;
        CHECK(listed);

        auto detail = fk.get("/api/v1/cases/" + n);
        REQUIRE(detail.status == 200);
        auto d = json::parse(detail.body);
        CHECK(d["resident_name"] == "兰向军");
        CHECK(d["village_name"] == "黄花岭村");
        CHECK(d["mandate"]["text"].get<std::string>().find("民政二次救助") != std::string::npos);
        std::string material, file_url;
        for (const auto& m : d["materials"])
            if (!m["files"].empty()) {
                material = m["id"];
                file_url = m["files"][0]["url"];
            }
        REQUIRE(!file_url.empty());

        // The photo, byte for byte; the view joins the case's trail and the resident can ask.
        auto photo = fk.get(file_url);
        REQUIRE(photo.status == 200);
        CHECK(photo.body == tiny_jpeg(7));
        auto audit = json::parse(fk.get("/api/v1/cases/" + n + "/audit").body);
        REQUIRE(audit["entries"].size() == 1);
        CHECK(audit["entries"][0]["who_name"] == "刘振国");
        r = h.text(resident, "谁看过我的材料");
        CHECK(has(said_to(r, resident.id), "刘振国"));

        // A state change needs the CSRF token.
        const std::string body =
            json{{"action", "return"}, {"material", material}, {"reason", "照片看不清，请重拍"}}
                .dump();
        CHECK(fk.post("/api/v1/cases/" + n + "/actions", body, false).status == 403);
        auto act = fk.post("/api/v1/cases/" + n + "/actions", body);
        INFO(act.body);
        REQUIRE(act.status == 200);
        d = json::parse(fk.get("/api/v1/cases/" + n).body);
        CHECK(d["status"] == "returned");
        // The resident hears it through the outbox, as after a typed 补正.
        CHECK(pushed(pushes, resident.id, "照片看不清，请重拍"));
        // Refused by the bot: a case not open to that action answers 409 with its words.
        auto bad = fk.post("/api/v1/cases/" + n + "/actions", R"({"action":"fly"})");
        CHECK(bad.status == 400);

        // Signing out ends the session.
        CHECK(fk.post("/api/v1/logout", "{}").status == 200);
        CHECK(fk.get("/api/v1/me").status == 401);
    }

    SECTION("another township's supervisor cannot see the case or its photo") {
        r = h.text(supervisor_sj, "登录");
        console_client sj(bot);
        REQUIRE(sj.open_link(link_in(said_to(r, supervisor_sj.id))));
        CHECK(sj.get("/api/v1/cases/" + n).status == 403);
        CHECK(sj.get("/api/v1/cases/" + n + "/audit").status == 403);
        CHECK(sj.get("/api/v1/cases?village=hhl").status == 403);
        CHECK(sj.get("/api/v1/kpis?scope=township:fk").status == 403);
        CHECK(sj.get("/api/v1/kpis?scope=county").status == 403);
        auto list = json::parse(sj.get("/api/v1/cases?limit=100").body);
        for (const auto& c : list["cases"])
            CHECK(std::to_string(c["number"].get<long long>()) != n);
    }

    SECTION("a resident cannot get a link") {
        r = h.text(resident, "后台");
        CHECK(link_in(said_to(r, resident.id)).empty());
    }
}

TEST_CASE("console: passwords are hashed, wrong ones are limited, the report matches the CLI",
          "[integration][console]") {
    bot_process bot(fixture_redis(), true, "", console_settings());
    const std::string agent = "a_cl_1";
    // Set by the CLI from stdin, as an administrator would.
    const std::string pw_file = var_dir() + "/console-password.txt";
    std::ofstream(pw_file) << "changbei-fields-2026\n";
    auto set =
        run_binary("staff passwd " + agent + " --config " + bot.config_file() + " < " + pw_file);
    INFO(set.output);
    REQUIRE(set.code == 0);
    CHECK(has(set.output, "蒋文秀"));
    std::ofstream(pw_file) << "short\n";
    CHECK(run_binary("staff passwd " + agent + " --config " + bot.config_file() + " < " + pw_file)
              .code == 1);
    CHECK(run_binary("staff passwd nobody --config " + bot.config_file() + " < " + pw_file).code ==
          1);

    daiban::bot::http::client c(bot.url(), 10000);
    auto login = [&](const std::string& pw, const std::string& from_agent) {
        return c.request("POST", "/api/v1/login",
                         json{{"tenant", "demo"}, {"agent", from_agent}, {"password", pw}}.dump(),
                         {{"Content-Type", "application/json"}});
    };
    auto ok = login("changbei-fields-2026", agent);
    REQUIRE(ok.status == 200);
    CHECK(ok.header("set-cookie").find("HttpOnly") != std::string::npos);
    CHECK(ok.header("set-cookie").find("SameSite=Strict") != std::string::npos);
    CHECK(json::parse(ok.body)["agent"]["name"] == "蒋文秀");
    CHECK(json::parse(ok.body)["scope"]["kind"] == "village");

    // The monthly report: the page's CSV is the CLI's table, within the agent's reach only.
    const auto set_cookie = ok.header("set-cookie");
    const std::vector<std::pair<std::string, std::string>> session{
        {"Cookie", set_cookie.substr(0, set_cookie.find(';'))}};
    const std::time_t t = std::time(nullptr) + 8 * 3600;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char month[32];
    std::snprintf(month, sizeof month, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
    auto csv =
        c.request("GET", std::string("/api/v1/report?scope=village:cl&format=csv&month=") + month,
                  {}, session);
    REQUIRE(csv.status == 200);
    auto cli = run_binary(std::string("report --csv --scope village:cl --month ") + month +
                          " --config " + bot.config_file());
    REQUIRE(cli.code == 0);
    CHECK(csv.body == "\xEF\xBB\xBF" + cli.output);
    CHECK(c.request("GET", std::string("/api/v1/report?scope=township:fk&month=") + month, {},
                    session)
              .status == 403);
    CHECK(c.request("GET", "/api/v1/report?scope=village:cl&month=2026-13", {}, session).status ==
          400);

    // Five wrong guesses, then even the right password is refused for the window.
    for (int i = 0; i < 5; ++i)
        CHECK(login("wrong-guess-" + std::to_string(i), agent).status == 401);
    auto locked = login("changbei-fields-2026", agent);
    CHECK(locked.status == 429);
    CHECK(!locked.header("retry-after").empty());
    CHECK(login("whatever-it-is", "no_such_agent").status == 401);
    CHECK(c.request("POST", "/api/v1/login", "not json", {{"Content-Type", "application/json"}})
              .status == 400);
}

TEST_CASE("console: emergencies and complaints, answered from the console as in chat",
          "[integration][console]") {
    callback_server pushes(free_port());
    pushes.start();
    bot_process bot(fixture_redis(), true, "", console_settings(),
                    ",\"callback_url\":\"" + pushes.url() + "\"");
    hook h(bot);
    const person zhao{unique("u_console_zhao"), "赵桂兰"};
    h.text(zhao, "我是黄花岭村的");
    h.text(zhao, "我要投诉李春生 低保评得不公平");
    const person lan{unique("u_console_hail"), "兰向军"};
    h.text(lan, "我是黄花岭村的");
    h.text(lan, "地里被冰雹砸得稀烂 快来看看吧");

    auto sign_in = [&](console_client& c, const person& who) {
        auto reply = h.text(who, "后台");
        REQUIRE(c.open_link(link_in(said_to(reply, who.id))));
    };
    auto find = [](const json& list, const std::string& kind, const std::string& text) {
        for (const auto& t : list["tickets"])
            if (t["kind"] == kind && t["text"].get<std::string>().find(text) != std::string::npos)
                return std::to_string(t["number"].get<long long>());
        return std::string();
    };

    // The township sees both; the village agent the emergency only (the complaint is about them).
    console_client fk(bot);
    sign_in(fk, supervisor_fk);
    const auto all = json::parse(fk.get("/api/v1/tickets?limit=100").body);
    const auto complaint = find(all, "complaint", "低保评得不公平");
    const auto hail = find(all, "emergency", "冰雹");
    REQUIRE(!complaint.empty());
    REQUIRE(!hail.empty());
    console_client hhl(bot);
    sign_in(hhl, agent_hhl_1);
    const auto theirs = json::parse(hhl.get("/api/v1/tickets?limit=100").body);
    CHECK(find(theirs, "complaint", "低保评得不公平").empty());
    CHECK_FALSE(find(theirs, "emergency", "冰雹").empty());
    CHECK(hhl.get("/api/v1/tickets/" + complaint).status == 403);

    // 收到 from the village agent's console: the resident hears who is coming, as after typing it.
    auto ack = hhl.post("/api/v1/tickets/" + hail + "/actions", R"({"action":"ack"})");
    INFO(ack.body);
    REQUIRE(ack.status == 200);
    CHECK(json::parse(hhl.get("/api/v1/tickets/" + hail).body)["status"] == "acknowledged");
    CHECK(hhl.post("/api/v1/tickets/" + hail + "/actions", R"({"action":"ack"})").status == 409);

    // 答复 from the township's console reaches the resident with the words as written.
    auto answer = fk.post("/api/v1/tickets/" + complaint + "/actions",
                          json{{"action", "answer"}, {"text", "已派人复核，三天内公示。"}}.dump());
    INFO(answer.body);
    REQUIRE(answer.status == 200);
    CHECK(pushed(pushes, zhao.id, "已派人复核，三天内公示。"));
    CHECK(fk.post("/api/v1/tickets/" + complaint + "/actions", R"({"action":"answer"})").status ==
          400);
}
