// Unit: the /wechat and /wecom routes without sockets: published requests (Tencent's own samples)
// are verified, decrypted and answered; a slow handler gets "success" within the budget and its
// replies are pushed; retries are answered from the first delivery; bad requests get 400/401.
#include "bot/channels/wechat_channel.hpp"
#include "bot/channels/wechat_crypto.hpp"
#include "bot/channels/wechat_xml.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <set>

using namespace daiban;
using namespace daiban::bot::channels;
namespace asio = boost::asio;

namespace {

// Dedupes like the real dispatcher (tenant, chat, id) and answers "收到：<text>" after `delay`:
// a recorded turn is a duplicate, one still running is in progress.
struct fake_dispatcher final : bot::dialogue::dispatcher {
    std::chrono::milliseconds delay{0};
    std::vector<model::turn> ran;
    std::set<std::string> seen;
    std::map<std::string, std::vector<model::reply>> finished;
    std::function<std::vector<model::reply>(const model::turn&)> handler =
        [](const model::turn& t) {
            model::reply r;
            r.chat = t.chat;
            r.text = "收到：" + t.text;
            return std::vector{r};
        };

    asio::awaitable<boost::system::result<bot::dialogue::turn_outcome>>
    submit(model::turn t) override {
        const auto key = t.tenant + "|" + t.chat.id + "|" + t.id;
        bot::dialogue::turn_outcome out;
        if (seen.count(key)) {
            if (auto f = finished.find(key); f != finished.end()) {
                out.duplicate = true;
                out.replies = f->second;
            } else {
                out.in_progress = true;
            }
            co_return out;
        }
        seen.insert(key);
        ran.push_back(t);
        if (delay.count() > 0) {
            asio::steady_timer timer(co_await asio::this_coro::executor, delay);
            co_await timer.async_wait(asio::use_awaitable);
        }
        out.replies = handler(t);
        finished[key] = out.replies;
        co_return out;
    }
};

struct fixture {
    bot::config cfg;
    fake_dispatcher dispatcher;
    bot::http::router router;
    asio::io_context ioc;
    std::int64_t now = 1409735669 + 5;
    std::vector<std::pair<std::string, std::vector<model::reply>>> pushed;

    fixture() {
        // Tencent's Python sample account (vector V4): safe mode.
        bot::tenant_config safe;
        safe.id = "safe";
        safe.wechat = bot::wechat_config{};
        safe.wechat->token = "spamtest";
        safe.wechat->appid = "wx2c2769f8efd9abc2";
        safe.wechat->aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        safe.wechat->reply_budget_ms = 150;
        cfg.tenants.push_back(safe);
        // Plain mode only.
        bot::tenant_config plain;
        plain.id = "plain";
        plain.wechat = bot::wechat_config{};
        plain.wechat->token = "AAAAA";
        plain.wechat->appid = "wx_plain";
        plain.wechat->reply_budget_ms = 150;
        cfg.tenants.push_back(plain);
        // The WeCom documentation's app (vector V6).
        bot::tenant_config corp;
        corp.id = "corp";
        corp.wecom = bot::wecom_config{};
        corp.wecom->token = "QDG6eK";
        corp.wecom->corp_id = "wx5823bf96d3bd56c7";
        corp.wecom->aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
        corp.wecom->agent_id = "218";
        cfg.tenants.push_back(corp);

        wechat_channel_options opts;
        opts.now = [this] { return now; };
        opts.push_late = [this](const std::string& tenant, const std::string&, const std::string&,
                                std::vector<model::reply> r) -> boost::asio::awaitable<bool> {
            pushed.emplace_back(tenant, std::move(r));
            co_return true;
        };
        add_wechat_routes(router, cfg, dispatcher, opts);
    }

    bot::http::response call(std::string method, std::string target, std::string body = {}) {
        bot::http::request req;
        req.method = std::move(method);
        req.target = std::move(target);
        req.body = std::move(body);
        req.headers.emplace_back("content-type", "text/xml");
        auto m = router.match(req.method, req.path());
        REQUIRE(m.handler != nullptr);
        std::optional<bot::http::response> out;
        ioc.restart(); // an earlier call may have run it out of work
        asio::co_spawn(ioc, (*m.handler)(req, m.params),
                       [&](std::exception_ptr e, bot::http::response r) {
                           REQUIRE_FALSE(e);
                           out = std::move(r);
                       });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!out && std::chrono::steady_clock::now() < deadline)
            ioc.run_one_for(std::chrono::milliseconds(50));
        REQUIRE(out.has_value());
        return *out;
    }

    // Lets late handlers finish.
    void drain() {
        ioc.restart();
        ioc.run_for(std::chrono::seconds(2));
    }
};

const std::string v4_encrypt =
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+"
    "LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQH"
    "FVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+"
    "h6tEDYsV"
    "ticbSnyU8dKOIbgU6ux5VTjg3yt+"
    "WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0Vx"
    "pAe+77TszTfRd5RJSVO/"
    "HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpC"
    "umEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";
const std::string v4_query =
    "/wechat/safe?signature=16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
    "&timestamp=1409735669&nonce=1320562132&openid=oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    "&encrypt_type=aes&msg_signature=5d197aaffba7e9b25a30732f161a50dee96bd5fa";
const std::string v4_body =
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[" + v4_encrypt +
    "]]></Encrypt></xml>";

std::string plain_target(const std::string& ts, const std::string& nonce, std::string extra = {}) {
    return "/wechat/plain?signature=" + wechat_signature({"AAAAA", ts, nonce}) +
           "&timestamp=" + ts + "&nonce=" + nonce + extra;
}

std::string
inbound_text(const std::string& user, const std::string& content, const std::string& id) {
    // An inbound message has the same header shape as a reply, with To = account, From = user.
    std::string x = text_reply_xml("gh_plain", user, 1409735670, content);
    x.insert(x.size() - 6, "<MsgId>" + id + "</MsgId>");
    return x;
}

} // namespace

TEST_CASE("channel: Tencent's safe-mode sample request gets an encrypted — signed reply",
          "[unit][wechat]") {
    fixture f;
    auto r = f.call("POST", v4_query, v4_body);
    REQUIRE(r.status == 200);
    REQUIRE(f.dispatcher.ran.size() == 1);
    const auto& t = f.dispatcher.ran[0];
    CHECK(t.tenant == "safe");
    CHECK(t.channel == "wechat");
    CHECK(t.text == "abcdteT");
    CHECK(t.id == "6054768590064713728");

    auto env = parse_wechat_xml(r.body);
    REQUIRE(env.has_value());
    auto crypt = msg_crypt::make("spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                                 "wx2c2769f8efd9abc2");
    REQUIRE(crypt.has_value());
    CHECK(env->get("Nonce") == "1320562132"); // the request's nonce, echoed
    CHECK(env->get("TimeStamp") == std::to_string(f.now));
    CHECK(crypt->check_signature(env->get("MsgSignature"), env->get("TimeStamp"), env->get("Nonce"),
                                 env->get("Encrypt")));
    auto inner = crypt->decrypt(env->get("Encrypt"));
    REQUIRE(inner.has_value());
    auto reply = parse_wechat_xml(*inner);
    REQUIRE(reply.has_value());
    CHECK(reply->get("ToUserName") == t.from_id);
    CHECK(reply->get("FromUserName") == "gh_10f6c3c3ac5a");
    CHECK(reply->get("Content") == "收到：abcdteT");
    CHECK(reply->get("CreateTime") == std::to_string(f.now));
}

TEST_CASE("channel: retries are answered from the first delivery — never handled twice",
          "[unit][wechat]") {
    fixture f;
    const auto first = f.call("POST", v4_query, v4_body);
    for (int i = 0; i < 2; ++i) {
        auto again = f.call("POST", v4_query, v4_body);
        CHECK(again.status == 200);
        auto crypt = *msg_crypt::make("spamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
                                      "wx2c2769f8efd9abc2");
        auto inner = crypt.decrypt(parse_wechat_xml(again.body)->get("Encrypt"));
        CHECK(parse_wechat_xml(*inner)->get("Content") == "收到：abcdteT");
    }
    CHECK(f.dispatcher.ran.size() == 1);
}

TEST_CASE("channel: safe-mode requests that are wrong are refused", "[unit][wechat]") {
    fixture f;
    SECTION("msg_signature off by one") {
        auto q = v4_query;
        q.replace(q.size() - 1, 1, "b");
        CHECK(f.call("POST", q, v4_body).status == 401);
    }
    SECTION("msg_signature missing") {
        CHECK(f.call("POST", v4_query.substr(0, v4_query.find("&msg_signature")), v4_body).status ==
              401);
    }
    SECTION("stale timestamp") {
        f.now += 3600;
        CHECK(f.call("POST", v4_query, v4_body).status == 401);
    }
    SECTION("Encrypt missing") {
        CHECK(f.call("POST", v4_query, "<xml><ToUserName>gh</ToUserName></xml>").status == 400);
    }
    SECTION("DOCTYPE in the envelope") {
        auto r = f.call("POST", v4_query,
                        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + v4_body);
        CHECK(r.status == 400);
        CHECK(r.body.find("xml_doctype") != std::string::npos);
    }
    CHECK(f.dispatcher.ran.empty());
}

TEST_CASE("channel: plain mode — URL verification and bad input", "[unit][wechat]") {
    fixture f;
    const auto ts = std::to_string(f.now);
    SECTION("URL verification echoes echostr exactly") {
        auto r = f.call("GET", plain_target(ts, "486452656", "&echostr=5838479218127813673"));
        CHECK(r.status == 200);
        CHECK(r.body == "5838479218127813673");
        auto bad = f.call("GET", "/wechat/plain?signature=00&timestamp=" + ts +
                                     "&nonce=1&echostr=5838479218127813673");
        CHECK(bad.status == 401);
        CHECK(bad.body.find("5838479218127813673") == std::string::npos);
    }
    SECTION("a text message gets a plain passive reply") {
        auto r = f.call("POST", plain_target(ts, "1"), inbound_text("oUser", "办事指南", "1001"));
        CHECK(r.status == 200);
        auto x = parse_wechat_xml(r.body);
        REQUIRE(x.has_value());
        CHECK_FALSE(x->has("Encrypt"));
        CHECK(x->get("ToUserName") == "oUser");
        CHECK(x->get("FromUserName") == "gh_plain");
        CHECK(x->get("Content") == "收到：办事指南");
    }
    SECTION("bad signature, unknown tenant, unsupported type, malformed XML") {
        CHECK(f.call("POST", "/wechat/plain?signature=x&timestamp=" + ts + "&nonce=1",
                     inbound_text("oUser", "x", "1"))
                  .status == 401);
        CHECK(f.call("POST", "/wechat/nobody?timestamp=" + ts, "<xml/>").status == 404);
        auto unsupported =
            f.call("POST", plain_target(ts, "2"),
                   "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>"
                   "<CreateTime>1</CreateTime><MsgType>miniprogrampage</MsgType></xml>");
        CHECK(unsupported.status == 200);
        CHECK(unsupported.body == "success");
        CHECK(f.call("POST", plain_target(ts, "3"), "<xml><ToUserName>").status == 400);
        CHECK(
            f.call("POST",
                   plain_target(ts, "4", "&encrypt_type=aes&msg_signature=" + std::string(40, '0')),
                   v4_body)
                .status == 400); // this tenant has no aes_key: not a request for it
        CHECK(f.dispatcher.ran.empty());
    }
}

TEST_CASE("channel: a slow handler gets success within the budget — replies are pushed",
          "[unit][wechat]") {
    fixture f;
    f.dispatcher.delay = std::chrono::milliseconds(600);
    const auto ts = std::to_string(f.now);
    const auto started = std::chrono::steady_clock::now();
    auto r = f.call("POST", plain_target(ts, "9"), inbound_text("oSlow", "我要代办", "2002"));
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(r.status == 200);
    CHECK(r.body == "success");
    CHECK(took < std::chrono::milliseconds(550)); // budget 150 ms; the handler needs 600
    CHECK(f.pushed.empty());
    f.drain(); // the handler was not cancelled: it finishes and its reply goes out as a push
    REQUIRE(f.pushed.size() == 1);
    CHECK(f.pushed[0].first == "plain");
    REQUIRE(f.pushed[0].second.size() == 1);
    CHECK(f.pushed[0].second[0].text == "收到：我要代办");
    CHECK(f.dispatcher.ran.size() == 1);
}

TEST_CASE("channel: a retry while the first delivery still runs is told to retry — not success",
          "[unit][wechat]") {
    fixture f;
    f.dispatcher.delay = std::chrono::milliseconds(600);
    const auto ts = std::to_string(f.now);
    const auto message = inbound_text("oBusy", "我要代办", "2003");
    auto first = f.call("POST", plain_target(ts, "10"), message);
    CHECK(first.body == "success"); // over budget: answered, the turn goes on
    // "success" here would end WeChat's retries for a turn that has not been recorded (and whose
    // process may die): 503 makes WeChat deliver it again.
    auto retry = f.call("POST", plain_target(ts, "11"), message);
    CHECK(retry.status == 503);
    CHECK(retry.body.find("in_progress") != std::string::npos);
    f.drain();
    auto later = f.call("POST", plain_target(ts, "12"), message);
    CHECK(later.status == 200);
    CHECK(later.body.find("收到：我要代办") != std::string::npos);
    CHECK(f.dispatcher.ran.size() == 1);
}

TEST_CASE("channel: several replies: texts join — richer ones go as pushes", "[unit][wechat]") {
    model::reply a, b, n;
    a.text = "第一句";
    b.text = "第二句";
    n.news = model::reply::article{"指南", "d", "https://x", "https://p"};
    auto joined = split_passive({a, b});
    REQUIRE(joined.passive.has_value());
    CHECK(joined.passive->text == "第一句\n\n第二句");
    CHECK(joined.pushes.empty());
    auto mixed = split_passive({n, a});
    REQUIRE(mixed.passive.has_value());
    CHECK(mixed.passive->news.has_value());
    REQUIRE(mixed.pushes.size() == 1);
    CHECK(mixed.pushes[0].text == "第一句");
    CHECK_FALSE(split_passive({}).passive.has_value());
}

TEST_CASE("channel: WeCom documentation samples: echostr and an encrypted message",
          "[unit][wechat]") {
    fixture f;
    f.now = 1409659589;
    auto echo = f.call("GET", "/wecom/corp?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
                              "&timestamp=1409659589&nonce=263014780&echostr="
                              "P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4"
                              "RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D");
    CHECK(echo.status == 200);
    CHECK(echo.body == "1616140317555161061");

    f.now = 1409659813;
    const std::string enc =
        "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/"
        "0lWfrf0QADHHhGd3QczcdCUp"
        "j911L3vg3W/"
        "sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue"
        "06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+"
        "KqCKIw"
        "+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+"
        "rUPA3k22Ncx4XXZS9o0MB"
        "H27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/"
        "T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS"
        "8R07+qN+E7Q==";
    const std::string target = "/wecom/corp?msg_signature=477715d11cdb4164915debcba66cb864d751f3e6"
                               "&timestamp=1409659813&nonce=1372623149";
    auto body = [&](const std::string& agent) {
        return "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" +
               enc + "]]></Encrypt><AgentID><![CDATA[" + agent + "]]></AgentID></xml>";
    };
    CHECK(f.call("POST", target, body("219")).status == 400); // another app of the corp
    auto r = f.call("POST", target, body("218"));
    CHECK(r.status == 200);
    REQUIRE(f.dispatcher.ran.size() == 1);
    CHECK(f.dispatcher.ran[0].channel == "wecom");
    CHECK(f.dispatcher.ran[0].text == "hello");
    auto crypt = *msg_crypt::make("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
                                  "wx5823bf96d3bd56c7");
    auto env = parse_wechat_xml(r.body);
    REQUIRE(env.has_value());
    CHECK(crypt.check_signature(env->get("MsgSignature"), env->get("TimeStamp"), env->get("Nonce"),
                                env->get("Encrypt")));
    auto inner = parse_wechat_xml(crypt.decrypt(env->get("Encrypt")).value());
    REQUIRE(inner.has_value());
    CHECK(inner->get("ToUserName") == "mycreate");
    CHECK(inner->get("FromUserName") == "wx5823bf96d3bd56c7");
    CHECK(inner->get("Content") == "收到：hello");
}

TEST_CASE("query strings decode %XX once and keep '+'", "[unit][wechat]") {
    auto q = parse_query("a=1&echostr=ab%2Bc+d%3D%3D&empty=&flag&&x=%E4%BD%A0");
    REQUIRE(q.has_value());
    REQUIRE(q->size() == 5);
    CHECK((*q)[1] == std::pair<std::string, std::string>{"echostr", "ab+c+d=="});
    CHECK((*q)[2].second.empty());
    CHECK((*q)[3].first == "flag");
    CHECK((*q)[4].second == "你");
    CHECK_FALSE(parse_query("a=%zz").has_value());
    CHECK_FALSE(parse_query("a=%4").has_value());
}
