// Unit: how many shards `threads: 0` starts (bot/shards.hpp) — one core stays free for a Redis
// on the same host, whose single thread is busy on every message.
#include "bot/shards.hpp"

#include <catch2/catch.hpp>

using namespace daiban::bot;

TEST_CASE("a local Redis keeps a core of its own", "[unit][shards]") {
    CHECK(default_shards(2, true) == 1);
    CHECK(default_shards(8, true) == 7);
    CHECK(default_shards(8, false) == 8);
    CHECK(default_shards(1, true) == 1);  // never zero
    CHECK(default_shards(0, false) == 1); // core count unknown

    std::string error;
    auto local = [&](const char* address) {
        return redis_on_this_host(*daiban::state::redis::parse_address(address, error));
    };
    CHECK(local("redis://127.0.0.1:6379/0"));
    CHECK(local("redis://localhost:6379"));
    CHECK(local("redis://[::1]:6379"));
    CHECK(local("unix:///run/redis/redis.sock"));
    CHECK_FALSE(local("redis://10.0.3.7:6379/0"));
    CHECK_FALSE(local("redis://redis.county.internal:6379"));
}
