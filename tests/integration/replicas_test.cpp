// Integration: several `daiban serve` replicas on one Redis, behind no balancer that hashes on the
// conversation (each message may reach either). One conversation's turns run one at a time and in
// arrival order across the replicas; a replica killed with SIGKILL under load loses no
// acknowledged message and runs none twice.
#include "resident_hook.hpp"
#include "state/keys.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>

using namespace daiban::test;

namespace {

using steady = std::chrono::steady_clock;

const std::string slow_text = "慢慢说";

std::vector<std::string> slow_env() {
    return {"DAIBAN_TEST_SLOW_TEXT=" + slow_text, "DAIBAN_TEST_SLOW_MS=1500"};
}

// The conversation's turn count as Redis has it (0 when none).
long long turns_of(const std::string& redis_address, const std::string& resident) {
    redis_reader r(redis_address);
    const auto v = r.hget(daiban::state::keys::conversation("demo", "p:" + resident), "turns");
    return v ? std::stoll(*v) : 0;
}

} // namespace

TEST_CASE("one conversation's turns wait for each other across replicas",
          "[integration][replicas]") {
    const auto redis = fixture_redis();
    bot_process a(redis, true, "", "", "", slow_env());
    bot_process b(redis, true, "", "", "", slow_env());
    const person resident{unique("u_replica"), "杜玉兰"};
    hook to_a(a), to_b(b);
    to_a.text(resident, "我是黄花岭村的");

    // A slow turn on replica A; while it runs, the same resident's next message reaches B.
    auto first = std::async(std::launch::async, [&] {
        hook h(a);
        auto r = h.send_from_thread(merged(hook::base(resident, "private", resident.id, "text"),
                                           json{{"text", slow_text}}));
        return std::make_pair(r.first, steady::now());
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto sent_second = steady::now();
    auto second = to_b.send_from_thread(
        merged(hook::base(resident, "private", resident.id, "text"), json{{"text", "我想办低保"}}));
    const auto second_done = steady::now();
    const auto [first_status, first_done] = first.get();

    REQUIRE(first_status == 200);
    REQUIRE(second.first == 200);
    // B ran its turn only after A's had ended: it answered after A did, not ~10 ms after it was
    // asked. Its answer rests on A's turn (the village is known: no "哪个村").
    CHECK(second_done >= first_done);
    CHECK(
        std::chrono::duration_cast<std::chrono::milliseconds>(second_done - sent_second).count() >=
        1000);
    CHECK_FALSE(has(said_to(second.second, resident.id), "哪个村"));
    CHECK(turns_of(redis, resident.id) == 3);
}

TEST_CASE("a replica killed under load loses no acknowledged message and runs none twice",
          "[integration][replicas]") {
    const auto redis = fixture_redis();
    auto a = std::make_unique<bot_process>(redis);
    bot_process b(redis);
    std::atomic<bool> a_alive{true};

    // Eight residents write steadily; each message goes to a replica at random (a balancer that
    // does not hash) and, on an error or a dead replica, again to the other one — the same
    // message id, as a platform's retry — until it is answered.
    constexpr int residents = 8;
    std::atomic<bool> stop{false};
    std::atomic<int> sent{0}, answered{0}, retried{0}, failed{0};
    std::mutex m;
    std::map<std::string, int> answered_by_resident;
    std::vector<std::thread> senders;
    const std::string url_b = b.url();
    std::string url_a = a->url();
    for (int i = 0; i < residents; ++i) {
        senders.emplace_back([&, i] {
            const person p{unique("u_load") + "-" + std::to_string(i), "住户"};
            std::mt19937 pick(i);
            daiban::bot::http::client ca(url_a, 3000), cb(url_b, 3000);
            while (!stop) {
                const auto body =
                    merged(hook::base(p, "private", p.id, "text"), json{{"text", "你好"}}).dump();
                ++sent;
                bool done = false;
                for (int attempt = 0; attempt < 200 && !done; ++attempt) {
                    const bool use_a = a_alive && (pick() % 2 == 0);
                    try {
                        const auto res = post_hook(use_a ? ca : cb, body);
                        if (res.status == 200) {
                            done = true;
                            break;
                        }
                    } catch (const std::exception&) {
                        // a connection to the killed replica
                    }
                    ++retried;
                    std::this_thread::sleep_for(std::chrono::milliseconds(50));
                }
                if (!done) {
                    ++failed;
                    continue;
                }
                ++answered;
                std::lock_guard lock(m);
                ++answered_by_resident[p.id];
            }
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(2));
    a->stop(SIGKILL);
    a_alive = false;
    const int at_kill = answered.load();
    std::this_thread::sleep_for(std::chrono::seconds(5));
    stop = true;
    for (auto& t : senders)
        t.join();

    WARN(sent.load() << " sent, " << answered.load() << " answered (" << at_kill
                     << " before the kill), " << retried.load() << " retries");
    CHECK(failed.load() == 0);
    CHECK(answered.load() > at_kill);
    // Recorded exactly once each: a conversation counts one turn per message its resident saw
    // answered — none lost with the killed replica, none run twice by the retry.
    for (const auto& [id, n] : answered_by_resident) {
        INFO(id);
        CHECK(turns_of(redis, id) == n);
    }
}
