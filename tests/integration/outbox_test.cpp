// Integration: the outbox through the real binary and a real Redis — what an operator and a
// bridge notice: a push reaches the hook tenant's callback signed, once; it survives the bot
// being killed before it could deliver; it is dead-lettered after the configured failures.
// Pushes are queued with the same code the bot uses (state::outbox_store + encode_push) from the
// test process, as a handler or timer in another replica would.
#include "bot/outbound/outbox.hpp"
#include "http_peer.hpp"
#include "state/keys.hpp"
#include "state/outbox_store.hpp"
#include "support.hpp"
#include "time_support.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <mutex>

using namespace daiban;
using namespace daiban::test;
using nlohmann::json;
namespace asio = boost::asio;
namespace beast = boost::beast;

namespace {

// Queues pushes exactly as the bot does (Lua enqueue script), from the test process.
std::int64_t enqueue(const std::string& redis_address, const bot::replies::push& p) {
    asio::io_context ioc;
    state::redis::config rc;
    rc.address = redis_address;
    state::redis::connection conn(ioc.get_executor(), rc);
    std::int64_t queued = -1;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            conn.start();
            asio::steady_timer t(ioc);
            for (int i = 0; i < 100 && !conn.connected(); ++i) {
                t.expires_after(std::chrono::milliseconds(20));
                co_await t.async_wait(asio::use_awaitable);
            }
            state::outbox_store store(conn);
            std::vector<state::outbox_item> items{
                {p.idempotency_key, bot::outbound::encode_push(p)}};
            auto r = co_await store.enqueue(p.tenant, items);
            if (r) queued = *r;
            conn.stop();
        },
        asio::detached);
    ioc.run();
    return queued;
}

bot::replies::push hook_push(const std::string& key, const std::string& text) {
    bot::replies::push p;
    p.tenant = "demo";
    p.channel = "hook";
    p.idempotency_key = key;
    p.reply.chat = {model::chat_kind::group, "g_hhl"};
    p.reply.text = text;
    p.reply.mention = {"u_agent_hhl_1"};
    return p;
}

long long redis_int(const std::string& address, const std::string& cmd, const std::string& key) {
    const auto colon = address.rfind(':');
    redisContext* c = redisConnect("127.0.0.1", std::atoi(address.c_str() + colon + 1));
    auto* r = static_cast<redisReply*>(redisCommand(c, "%s %s", cmd.c_str(), key.c_str()));
    long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    if (r) freeReplyObject(r);
    redisFree(c);
    return v;
}

template <class Pred>
bool eventually(Pred pred, int ms = 10'000) {
    for (int waited = 0; waited < ms; waited += 50) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

std::string outbox_settings(int max_attempts, int claim_idle_ms = 60'000) {
    return R"(,"outbox":{"max_attempts":)" + std::to_string(max_attempts) +
           R"(,"backoff_base_ms":100,"backoff_max_ms":400,"block_ms":200,"http_timeout_ms":2000,)"
           R"("claim_idle_ms":)" +
           std::to_string(claim_idle_ms) + "}";
}

std::string callback_setting(const callback_server& cb) {
    return R"(,"callback_url":")" + cb.url() + "\"";
}

} // namespace

TEST_CASE("a hook tenant's push reaches its callback — signed — with the reply shape",
          "[integration][outbox]") {
    redis_process redis;
    callback_server cb(free_port());
    cb.start();
    bot_process bot(redis.address(), true, "", outbox_settings(8), callback_setting(cb));
    REQUIRE(enqueue(redis.address(), hook_push("case-7:notice", "黄花岭村有新的代办申请")) == 1);

    REQUIRE(eventually([&] { return cb.answered_ok() == 1; }));
    const auto got = cb.requests().at(0);
    CHECK(got.signature == bot::channels::hook_signature(hook_secret, got.body));
    const auto j = json::parse(got.body);
    REQUIRE(j["replies"].size() == 1);
    CHECK(j["replies"][0]["chat"] == json({{"type", "group"}, {"id", "g_hhl"}}));
    CHECK(j["replies"][0]["text"] == "黄花岭村有新的代办申请");
    CHECK(j["replies"][0]["mention"] == json({"u_agent_hhl_1"}));
    CHECK(j["idempotency_key"] == "case-7:notice");
    // When it was sent, signed with the rest: the receiver refuses an old one replayed.
    REQUIRE(j["time"].is_number_integer());
    CHECK(std::abs(j["time"].get<long long>() - now_s()) <= 60);
    // Delivered entries leave the stream; the key is remembered as sent.
    CHECK(eventually([&] { return redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") == 0; }));
    CHECK(redis_int(redis.address(), "EXISTS", "dbn:{demo}:outbox:sent:case-7:notice") == 1);
    // /metrics shows the outbox.
    daiban::bot::http::client c(bot.url());
    CHECK(eventually([&] {
        return c.request("GET", "/metrics").body.find("daiban_outbox_sent_total 1") !=
               std::string::npos;
    }));
    CHECK(c.request("GET", "/metrics")
              .body.find(R"(daiban_outbox_depth{tenant="demo",state="queued"})") !=
          std::string::npos);
}

TEST_CASE("the same idempotency key pushed twice is sent once", "[integration][outbox]") {
    redis_process redis;
    callback_server cb(free_port());
    cb.start();
    bot_process bot(redis.address(), true, "", outbox_settings(8), callback_setting(cb));
    CHECK(enqueue(redis.address(), hook_push("remind:42", "明天上午请带身份证")) == 1);
    CHECK(enqueue(redis.address(), hook_push("remind:42", "明天上午请带身份证")) == 0);
    REQUIRE(eventually([&] { return cb.answered_ok() == 1; }));
    // After delivery too: the sent marker refuses the key.
    CHECK(enqueue(redis.address(), hook_push("remind:42", "明天上午请带身份证")) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(cb.requests().size() == 1);
}

TEST_CASE("a push accepted before a crash goes out exactly once after the restart",
          "[integration][outbox]") {
    redis_process redis;
    callback_server cb(free_port());
    // The bridge is down: delivery fails and is parked for a retry.
    auto bot = std::make_unique<bot_process>(redis.address(), true, "", outbox_settings(50, 1000),
                                             callback_setting(cb));
    REQUIRE(enqueue(redis.address(), hook_push("crash:1", "您的材料已收到")) == 1);
    REQUIRE(eventually([&] {
        return redis_int(redis.address(), "ZCARD", "dbn:{demo}:outbox:delayed") +
                   redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") ==
               1;
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // at least one failed attempt
    CHECK(bot->stop(SIGKILL) == 128 + SIGKILL);
    bot.reset();

    cb.start();
    bot_process restarted(redis.address(), true, "", outbox_settings(50, 1000),
                          callback_setting(cb));
    REQUIRE(eventually([&] { return cb.answered_ok() == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(cb.requests().size() == 1);
    CHECK(json::parse(cb.requests()[0].body)["replies"][0]["text"] == "您的材料已收到");
    CHECK(redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") == 0);
    CHECK(redis_int(redis.address(), "ZCARD", "dbn:{demo}:outbox:delayed") == 0);
}

TEST_CASE("a push in flight when the bot is killed is taken over and sent once",
          "[integration][outbox]") {
    redis_process redis;
    callback_server cb(free_port());
    cb.hang = true; // the bridge takes the request and never answers
    cb.start();
    auto bot = std::make_unique<bot_process>(redis.address(), true, "", outbox_settings(8, 1000),
                                             callback_setting(cb));
    REQUIRE(enqueue(redis.address(), hook_push("inflight:1", "预约已确认")) == 1);
    REQUIRE(eventually([&] { return cb.requests().size() == 1; }));
    bot->stop(SIGKILL);
    bot.reset();
    // Pending with the dead consumer, not acknowledged.
    CHECK(redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") == 1);
    cb.hang = false;

    bot_process restarted(redis.address(), true, "", outbox_settings(8, 1000),
                          callback_setting(cb));
    REQUIRE(eventually([&] { return cb.answered_ok() == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    CHECK(cb.answered_ok() == 1);
    CHECK(redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") == 0);
    daiban::bot::http::client c(restarted.url());
    CHECK(c.request("GET", "/metrics").body.find("daiban_outbox_taken_over_total 1") !=
          std::string::npos);
}

TEST_CASE("a push that keeps failing is dead-lettered after max_attempts",
          "[integration][outbox]") {
    redis_process redis;
    callback_server cb(free_port());
    cb.status_ = 500;
    cb.start();
    bot_process bot(redis.address(), true, "", outbox_settings(3), callback_setting(cb));
    REQUIRE(enqueue(redis.address(), hook_push("doomed:1", "这条推送送不到")) == 1);
    REQUIRE(eventually(
        [&] { return redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox:dead") == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    CHECK(cb.requests().size() == 3);
    CHECK(redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") == 0);
    CHECK(redis_int(redis.address(), "ZCARD", "dbn:{demo}:outbox:delayed") == 0);
}

TEST_CASE("a push no worker ever finishes is dead-lettered instead of taken over forever",
          "[integration][outbox]") {
    redis_process redis;
    callback_server cb(free_port());
    cb.start();
    REQUIRE(enqueue(redis.address(), hook_push("poison:1", "每次投递都让工作进程崩溃")) == 1);
    // As if nine workers had each taken the entry and died before settling it: pending with a
    // dead consumer, idle for an hour, handed out nine times (XCLAIM ... RETRYCOUNT sets that).
    const auto stream = state::keys::outbox("demo");
    timed::redis_cmd r(redis.address());
    r.run({"XGROUP", "CREATE", stream, "workers", "0", "MKSTREAM"});
    r.run({"XREADGROUP", "GROUP", "workers", "ghost", "COUNT", "1", "STREAMS", stream, ">"});
    const auto info = r.run({"XINFO", "STREAM", stream});
    const auto at = std::find(info.begin(), info.end(), "last-generated-id");
    REQUIRE(at + 1 < info.end());
    r.run({"XCLAIM", stream, "workers", "ghost", "0", *(at + 1), "IDLE", "3600000", "RETRYCOUNT",
           "9"});
    REQUIRE(r.run({"XPENDING", stream, "workers"}).at(0) == "1");

    bot_process bot(redis.address(), true, "", outbox_settings(3, 1000), callback_setting(cb));
    REQUIRE(eventually(
        [&] { return redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox:dead") == 1; }));
    CHECK(redis_int(redis.address(), "XLEN", "dbn:{demo}:outbox") == 0);
    CHECK(cb.requests().empty()); // not tried a tenth time
    CHECK(timed::wait_log(bot.log_file(), "taken over 10 times"));
}
