// Integration: Redis Cluster — three real masters (redis-server --cluster-enabled yes, joined by
// redis-cli --cluster create). One bot serves two tenants whose keys live on different masters;
// a tenant's slot moved to another master key by key while residents write costs a sender at
// most a 503 (retry), and every message acknowledged is recorded exactly once.
#include "resident_hook.hpp"
#include "state/keys.hpp"
#include "state/redis/cluster.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

using namespace daiban::test;
using daiban::state::redis::key_slot;

namespace {

// One command to the node at `port`; the reply as text lines (arrays flattened, integers as
// text; "" for nil).
std::vector<std::string> ask(unsigned short port, const std::vector<std::string>& args) {
    std::vector<std::string> out;
    redisContext* c = redisConnect("127.0.0.1", port);
    if (!c || c->err) {
        if (c) redisFree(c);
        return out;
    }
    std::vector<const char*> argv;
    std::vector<std::size_t> lens;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
    }
    auto* r =
        static_cast<redisReply*>(redisCommandArgv(c, int(args.size()), argv.data(), lens.data()));
    auto flatten = [&](auto& self, const redisReply* x) -> void {
        if (x->type == REDIS_REPLY_ARRAY) {
            for (std::size_t i = 0; i < x->elements; ++i)
                self(self, x->element[i]);
        } else if (x->type == REDIS_REPLY_INTEGER) {
            out.push_back(std::to_string(x->integer));
        } else if (x->str) {
            out.emplace_back(x->str, x->len);
        } else {
            out.emplace_back();
        }
    };
    if (r) {
        flatten(flatten, r);
        freeReplyObject(r);
    }
    redisFree(c);
    return out;
}

// Three masters, 16384 slots split as redis-cli splits them.
class cluster {
public:
    cluster() {
        std::string create = "redis-cli --cluster create";
        for (int i = 0; i < 3; ++i) {
            nodes_.push_back(std::make_unique<redis_process>(std::vector<std::string>{
                "--cluster-enabled", "yes", "--cluster-config-file",
                var_dir() + "/" + unique("nodes") + ".conf", "--cluster-node-timeout", "3000"}));
            create += " 127.0.0.1:" + std::to_string(nodes_.back()->port());
        }
        create += " --cluster-yes > " + var_dir() + "/cluster-create.log 2>&1";
        REQUIRE(std::system(create.c_str()) == 0);
        for (int i = 0; i < 200; ++i) {
            bool ok = true;
            for (const auto& n : nodes_) {
                const auto info = ask(n->port(), {"CLUSTER", "INFO"});
                ok = ok && !info.empty() && has(info.front(), "cluster_state:ok");
            }
            if (ok) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        FAIL("the cluster did not reach cluster_state:ok");
    }
    std::string address() const {
        return "cluster://127.0.0.1:" + std::to_string(nodes_[0]->port()) +
               ",127.0.0.1:" + std::to_string(nodes_[1]->port());
    }
    unsigned short port(std::size_t i) const { return nodes_[i]->port(); }
    std::string id(std::size_t i) const { return ask(port(i), {"CLUSTER", "MYID"}).at(0); }
    // Which node serves `slot`, as node 0 sees it.
    std::size_t owner(std::uint16_t slot) const {
        const auto slots = ask(port(0), {"CLUSTER", "SLOTS"});
        // Flattened: start, end, host, port, id, [start, end, host, port, id]...
        for (std::size_t i = 0; i + 3 < slots.size(); i += 5) {
            if (std::stoul(slots[i]) <= slot && slot <= std::stoul(slots[i + 1]))
                for (std::size_t n = 0; n < nodes_.size(); ++n)
                    if (slots[i + 3] == std::to_string(port(n))) return n;
        }
        return nodes_.size();
    }
    std::size_t size() const { return nodes_.size(); }

private:
    std::vector<std::unique_ptr<redis_process>> nodes_;
};

// How many of `tenant`'s keys the node at `port` holds.
std::size_t keys_of(unsigned short port, const std::string& tenant) {
    return ask(port, {"KEYS", "dbn:{" + tenant + "}:*"}).size();
}

} // namespace

TEST_CASE("on a Redis Cluster two tenants on different masters are served by one bot",
          "[integration][cluster]") {
    cluster c;
    const auto demo_node = c.owner(key_slot("demo"));
    REQUIRE(demo_node < c.size());
    // A second tenant whose hash tag lands on another master.
    std::string other;
    for (const char* id : {"county2", "pingshun", "lucheng", "huguan", "licheng", "xiangyuan"})
        if (c.owner(key_slot(id)) != demo_node) {
            other = id;
            break;
        }
    REQUIRE_FALSE(other.empty());
    const auto other_node = c.owner(key_slot(other));

    bot_process bot(c.address(), true, "", "", "", {}, {other});
    for (const auto& tenant : {std::string("demo"), other}) {
        hook h(bot, tenant);
        const person resident{unique("u_cluster"), "郝秀英"};
        auto r = h.text(resident, "我是黄花岭村的");
        CHECK(has(said_to(r, resident.id), "黄花岭村"));
        r = h.text(resident, "我想办低保");
        INFO(tenant << ": " << said_to(r, resident.id));
        CHECK(has(said_to(r, resident.id), "已为您受理"));
    }
    // Each tenant's records are on its own master, and only there.
    CHECK(keys_of(c.port(demo_node), "demo") > 0);
    CHECK(keys_of(c.port(other_node), other) > 0);
    CHECK(keys_of(c.port(demo_node), other) == 0);
    CHECK(keys_of(c.port(other_node), "demo") == 0);
}

TEST_CASE("a tenant's slot migrated under traffic costs senders at most a retry",
          "[integration][cluster]") {
    cluster c;
    const std::uint16_t slot = key_slot("demo");
    const auto from = c.owner(slot);
    REQUIRE(from < c.size());
    const auto to = (from + 1) % c.size();
    bot_process bot(c.address());

    // Residents write steadily; each message is sent again on 503 until it is answered, as the
    // platforms do. Anything but 200 or 503 is an error a sender would see.
    const person resident{unique("u_migrate"), "牛金莲"};
    hook h(bot);
    h.text(resident, "我是黄花岭村的");
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0}, retries{0}, wrong{0};
    std::thread sender([&] {
        hook s(bot);
        while (!stop) {
            const auto body = merged(hook::base(resident, "private", resident.id, "text"),
                                     json{{"text", "在吗"}});
            for (int attempt = 0; attempt < 100; ++attempt) {
                const auto [status, reply] = s.send_from_thread(body);
                if (status == 200) {
                    ++answered;
                    break;
                }
                if (status == 503) {
                    ++retries;
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                    continue;
                }
                ++wrong;
                break;
            }
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));

    // The migration as redis-cli --cluster reshard does it, a few keys at a time so that traffic
    // meets the slot half moved (ASK) and then moved (MOVED).
    const auto from_id = c.id(from), to_id = c.id(to);
    REQUIRE(
        ask(c.port(to), {"CLUSTER", "SETSLOT", std::to_string(slot), "IMPORTING", from_id}).at(0) ==
        "OK");
    REQUIRE(
        ask(c.port(from), {"CLUSTER", "SETSLOT", std::to_string(slot), "MIGRATING", to_id}).at(0) ==
        "OK");
    for (;;) {
        const auto batch =
            ask(c.port(from), {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot), "3"});
        if (batch.empty()) break;
        std::vector<std::string> migrate{
            "MIGRATE", "127.0.0.1", std::to_string(c.port(to)), "", "0", "5000", "KEYS"};
        migrate.insert(migrate.end(), batch.begin(), batch.end());
        const auto done = ask(c.port(from), migrate);
        REQUIRE_FALSE(done.empty());
        INFO(done.front());
        REQUIRE((done.front() == "OK" || done.front() == "NOKEY"));
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
    }
    for (std::size_t n = 0; n < c.size(); ++n)
        ask(c.port(n), {"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", to_id});
    REQUIRE(c.owner(slot) == to);
    const int before_end = answered.load();
    // Traffic goes on against the new owner.
    for (int i = 0; i < 100 && answered.load() < before_end + 10; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stop = true;
    sender.join();

    WARN(answered.load() << " messages answered, " << retries.load()
                         << " retries (503) during the migration");
    CHECK(wrong.load() == 0);
    CHECK(answered.load() >= before_end + 10);
    CHECK(keys_of(c.port(from), "demo") == 0);
    // Every message answered was recorded once: the conversation counts one turn per message
    // (the first, naming the village, and each one the sender saw answered).
    const auto turns =
        ask(c.port(to),
            {"HGET", daiban::state::keys::conversation("demo", "p:" + resident.id), "turns"});
    REQUIRE(turns.size() == 1);
    CHECK(turns.front() == std::to_string(answered.load() + 1));
}
