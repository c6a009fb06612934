// Integration: `daiban bench` against the real server — two runs must not replay the same users
// (issue 17: seeded by connection index only, two runs over 100,000 conversations touched the
// same ones). Each run draws its users afresh, so two short runs over a large space barely meet.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <set>

using namespace daiban::test;

namespace {

// The bench users' conversations now in Redis (bench users are "bench_u<n>").
std::set<std::string> bench_conversations(redisContext* c) {
    std::set<std::string> out;
    std::string cursor = "0";
    do {
        auto* r = static_cast<redisReply*>(
            redisCommand(c, "SCAN %s MATCH dbn:{demo}:conv:p:bench_u* COUNT 1000", cursor.c_str()));
        REQUIRE(r);
        REQUIRE(r->type == REDIS_REPLY_ARRAY);
        cursor.assign(r->element[0]->str, r->element[0]->len);
        for (std::size_t i = 0; i < r->element[1]->elements; ++i)
            out.emplace(r->element[1]->element[i]->str, r->element[1]->element[i]->len);
        freeReplyObject(r);
    } while (cursor != "0");
    return out;
}

void forget(redisContext* c, const std::set<std::string>& keys) {
    for (const auto& k : keys)
        freeReplyObject(redisCommand(c, "DEL %s", k.c_str()));
}

std::string run_bench(const std::string& url) {
    const std::string cmd = env_or("DAIBAN_BIN", DAIBAN_BIN_PATH) + " bench --url " + url +
                            " --secret " + hook_secret +
                            " --tenant demo --connections 4 --seconds 1 --conversations 100000";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    while (const auto n = fread(buf, 1, sizeof buf, p))
        out.append(buf, n);
    pclose(p);
    return out;
}

} // namespace

TEST_CASE("two bench runs spread their users over the conversation space", "[integration][cli]") {
    bot_process bot(fixture_redis());
    const auto addr = fixture_redis();
    redisContext* c = redisConnect("127.0.0.1", std::atoi(addr.c_str() + addr.rfind(':') + 1));
    REQUIRE((c && !c->err));
    forget(c, bench_conversations(c));

    const auto first_out = run_bench(bot.url());
    const auto first = bench_conversations(c);
    forget(c, first);
    const auto second_out = run_bench(bot.url());
    const auto second = bench_conversations(c);
    forget(c, second);
    redisFree(c);

    INFO(first_out << second_out);
    REQUIRE(first.size() >= 20);
    REQUIRE(second.size() >= 20);
    std::size_t both = 0;
    for (const auto& k : first)
        both += second.count(k);
    // Drawn independently from 100,000, a few hundred users each meet once or twice at most;
    // replaying the same sequence would make them meet in nearly every user.
    CHECK(both * 10 < std::min(first.size(), second.size()));
    CHECK(first_out.find("\"seed\":") != std::string::npos);
}
