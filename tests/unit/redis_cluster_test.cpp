// Unit: Redis Cluster routing rules — the slot of a key, the key a command routes by, the
// redirections a node answers with, and cluster:// addresses.
#include "state/keys.hpp"
#include "state/redis/cluster.hpp"

#include <catch2/catch.hpp>

using namespace daiban::state::redis;

TEST_CASE("key slots are the ones Redis Cluster computes", "[unit][redis][cluster]") {
    // Values from the Redis Cluster specification (CRC16 XMODEM of "123456789" is 0x31C3).
    CHECK(key_slot("123456789") == 0x31C3);
    CHECK(key_slot("foo") == 12182);
    // The hash tag: the part between the first '{' and the next '}', when not empty.
    CHECK(key_slot("{user1000}.following") == key_slot("user1000"));
    CHECK(key_slot("foo{}{bar}") == key_slot("foo{}{bar}"));
    CHECK(key_slot("foo{}{bar}") != key_slot("bar"));
    CHECK(key_slot("foo{{bar}}zap") == key_slot("{bar"));
    CHECK(key_slot("foo{bar}{zap}") == key_slot("bar"));
}

TEST_CASE("all of a tenant's keys share the tenant's slot", "[unit][redis][cluster]") {
    namespace keys = daiban::state::keys;
    const auto slot = key_slot("demo");
    CHECK(key_slot(keys::conversation("demo", "wx:u1")) == slot);
    CHECK(key_slot(keys::seen("demo", "chat", "m1")) == slot);
    CHECK(key_slot(keys::case_hash("demo", 12)) == slot);
    CHECK(key_slot(keys::case_hash("other", 12)) != slot);
}

TEST_CASE("commands route by their first key", "[unit][redis][cluster]") {
    CHECK(routing_key({"GET", "a"}) == "a");
    CHECK(routing_key({"hset", "h", "f", "v"}) == "h");
    CHECK(routing_key({"EVALSHA", "abc", "2", "k1", "k2", "arg"}) == "k1");
    CHECK_FALSE(routing_key({"EVAL", "return 1", "0"}));
    CHECK(routing_key({"XREAD", "COUNT", "5", "BLOCK", "100", "STREAMS", "s", "$"}) == "s");
    CHECK(routing_key({"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"}) == "s");
    CHECK_FALSE(routing_key({"MULTI"}));
    CHECK_FALSE(routing_key({"WAIT", "1", "500"}));
    CHECK_FALSE(routing_key({"PING"}));
}

TEST_CASE("MOVED and ASK are read, other errors are not redirections", "[unit][redis][cluster]") {
    value moved;
    moved.type = value::kind::error;
    moved.str = "MOVED 3999 127.0.0.1:7002";
    const auto m = parse_redirect(moved);
    REQUIRE(m);
    CHECK_FALSE(m->ask);
    CHECK(m->slot == 3999);
    CHECK(m->host == "127.0.0.1");
    CHECK(m->port == "7002");

    value ask = moved;
    ask.str = "ASK 12 ::1:7000";
    const auto a = parse_redirect(ask);
    REQUIRE(a);
    CHECK(a->ask);
    CHECK(a->host == "::1");

    value hostless = moved;
    hostless.str = "MOVED 5 :7001"; // cluster-preferred-endpoint-type unknown-endpoint
    REQUIRE(parse_redirect(hostless));
    CHECK(parse_redirect(hostless)->host.empty());

    value other = moved;
    other.str = "ERR wrong number of arguments";
    CHECK_FALSE(parse_redirect(other));
    other.str = "MOVED 99999 h:1";
    CHECK_FALSE(parse_redirect(other));
}

TEST_CASE("cluster addresses are read, and bad ones named", "[unit][redis][cluster]") {
    std::string error;
    auto a = parse_address("cluster://10.0.0.1:7000,10.0.0.2:7001", error);
    REQUIRE(a);
    CHECK(a->cluster);
    REQUIRE(a->cluster_nodes.size() == 2);
    CHECK(a->cluster_nodes[1].first == "10.0.0.2");
    CHECK(a->cluster_nodes[1].second == "7001");
    CHECK(parse_address("cluster://h1:7000/0", error));
    CHECK_FALSE(parse_address("cluster://h1:7000/3", error));
    CHECK(error.find("database 0") != std::string::npos);
    CHECK_FALSE(parse_address("cluster://", error));
    CHECK(error.find("cluster node") != std::string::npos);
    CHECK_FALSE(parse_address("cluster://:7000", error));
    CHECK(error.find("HOST:PORT") != std::string::npos);
}
