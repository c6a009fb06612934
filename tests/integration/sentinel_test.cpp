// Integration: Redis Sentinel — a real master, a real replica and a real sentinel (redis-server
// --sentinel). The bot finds the master through the sentinel; when the master is killed and the
// sentinel promotes the replica, the bot finds the new master by itself, without a restart, and
// what it had acknowledged before (and the replica had received) is still there.
#include "resident_hook.hpp"
#include "state/keys.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>

using namespace daiban::test;

namespace {

// A sentinel watching `master_port` as "mymaster", quick to act (1 s down-after, quorum 1).
class sentinel_process {
public:
    explicit sentinel_process(unsigned short master_port) : port_(free_port()) {
        const std::string conf = var_dir() + "/sentinel-" + std::to_string(port_) + ".conf";
        std::ofstream(conf) << "port " << port_ << "\nbind 127.0.0.1\n"
                            << "sentinel monitor mymaster 127.0.0.1 " << master_port << " 1\n"
                            << "sentinel down-after-milliseconds mymaster 1000\n"
                            << "sentinel failover-timeout mymaster 5000\n"
                            << "sentinel parallel-syncs mymaster 1\n";
        pid_ = spawn({env_or("REDIS_SERVER", REDIS_SERVER_PATH), conf, "--sentinel"}, {},
                     var_dir() + "/sentinel-" + std::to_string(port_) + ".log");
    }
    ~sentinel_process() {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    unsigned short port() const { return port_; }

private:
    unsigned short port_;
    pid_t pid_ = -1;
};

// One field of INFO on the Redis at `port` ("" when it does not answer).
std::string info_field(unsigned short port, const std::string& name) {
    redisContext* c = redisConnect("127.0.0.1", port);
    std::string out;
    if (c && !c->err) {
        auto* r = static_cast<redisReply*>(redisCommand(c, "INFO replication"));
        if (r && r->type == REDIS_REPLY_STRING) {
            const std::string text(r->str, r->len);
            const auto at = text.find(name + ":");
            if (at != std::string::npos)
                out = text.substr(at + name.size() + 1,
                                  text.find_first_of("\r\n", at) - at - name.size() - 1);
        }
        if (r) freeReplyObject(r);
    }
    if (c) redisFree(c);
    return out;
}

// Waits (up to 15 s) until `done` holds; true when it did.
template <class F>
bool eventually(F done) {
    for (int i = 0; i < 300; ++i) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

std::string role_of(unsigned short port) {
    redisContext* c = redisConnect("127.0.0.1", port);
    std::string role;
    if (c && !c->err) {
        auto* r = static_cast<redisReply*>(redisCommand(c, "ROLE"));
        if (r && r->type == REDIS_REPLY_ARRAY && r->elements > 0)
            role.assign(r->element[0]->str, r->element[0]->len);
        if (r) freeReplyObject(r);
    }
    if (c) redisFree(c);
    return role;
}

// A master, its replica and a sentinel that watches them and knows the replica (so it can
// promote it): what both tests start from.
struct replicated_set {
    // No 5 s pause before the first full sync (Redis's default for diskless replication).
    redis_process master{{"--repl-diskless-sync-delay", "0"}};
    redis_process replica{{"--replicaof", "127.0.0.1", std::to_string(master.port())}};
    sentinel_process sentinel{master.port()};

    replicated_set() {
        REQUIRE(
            eventually([&] { return info_field(replica.port(), "master_link_status") == "up"; }));
        // The sentinel learns the replica from the master's INFO (it polls every 10 s at first).
        REQUIRE(eventually([&] {
            return info_field(master.port(), "connected_slaves") == "1" &&
                   std::system(("redis-cli -p " + std::to_string(sentinel.port()) +
                                " sentinel replicas mymaster 2>/dev/null | grep -q " +
                                std::to_string(replica.port()))
                                   .c_str()) == 0;
        }));
    }
};

} // namespace

TEST_CASE("through Sentinel the bot follows a failover without a restart",
          "[integration][sentinel]") {
    replicated_set set;
    auto& [master, replica, sentinel] = set;

    bot_process bot("sentinel://127.0.0.1:" + std::to_string(sentinel.port()) + "/mymaster?db=0");
    hook h(bot);
    const person resident{unique("u_sentinel"), "赵春华"};
    auto r = h.text(resident, "我是黄花岭村的");
    CHECK(has(said_to(r, resident.id), "黄花岭村"));
    // Replication is asynchronous: the replica has everything the master has before it dies.
    REQUIRE(eventually([&] {
        return info_field(replica.port(), "master_repl_offset") ==
               info_field(master.port(), "master_repl_offset");
    }));

    master.stop(); // kill -9
    const auto killed = std::chrono::steady_clock::now();
    // Until the sentinel promotes the replica the bot answers 503 (retry), never a wrong answer.
    daiban::bot::http::client c(bot.url(), 5000);
    int status = 0;
    json reply;
    while (std::chrono::steady_clock::now() - killed < std::chrono::seconds(30)) {
        auto res = post_hook(c, merged(hook::base(resident, "private", resident.id, "text"),
                                       json{{"text", "我的事办得怎么样了"}})
                                    .dump());
        status = res.status;
        if (status == 200) {
            reply = json::parse(res.body);
            break;
        }
        CHECK(status == 503);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - killed)
                          .count();
    WARN("traffic resumed " << took << " ms after the master was killed");
    REQUIRE(status == 200);
    CHECK(role_of(replica.port()) == "master");
    REQUIRE_NOTHROW(bot.wait_until("/readyz"));
    // The village the resident named before the failover is still known: the conversation came
    // across with the replica.
    r = h.text(resident, "我想办低保");
    INFO(said_to(r, resident.id));
    CHECK_FALSE(has(said_to(r, resident.id), "哪个村"));
    CHECK(has(said_to(r, resident.id), "已为您受理"));
}

TEST_CASE("with redis.wait_replicas an acknowledged turn survives the master's death",
          "[integration][sentinel]") {
    replicated_set set;
    auto& [master, replica, sentinel] = set;

    bot_process bot(R"({"address":"sentinel://127.0.0.1:)" + std::to_string(sentinel.port()) +
                    R"(/mymaster","wait_replicas":1,"wait_timeout_ms":1000})");
    hook h(bot);
    const person resident{unique("u_wait"), "冯翠花"};
    // Acknowledged turns, the master killed right after the last answer — no pause for the
    // replica to catch up: WAIT made each answer wait for it.
    constexpr int messages = 20;
    for (int i = 0; i < messages; ++i)
        h.text(resident, "你好");
    // A replica that cannot confirm: the turn is not acknowledged (503, the sender retries) ...
    replica.pause(true);
    const auto late =
        merged(hook::base(resident, "private", resident.id, "text"), json{{"text", "你好"}});
    CHECK(h.send_from_thread(late).first == 503);
    replica.pause(false);
    // ... and the retry, once it can, is answered from the record: one turn, not two.
    CHECK(h.send_from_thread(late).first == 200);
    master.stop(); // kill -9
    REQUIRE(eventually([&] { return role_of(replica.port()) == "master"; }));
    redis_reader promoted("redis://127.0.0.1:" + std::to_string(replica.port()) + "/0");
    const auto turns =
        promoted.hget(daiban::state::keys::conversation("demo", "p:" + resident.id), "turns");
    REQUIRE(turns);
    CHECK(*turns == std::to_string(messages + 1));
}
