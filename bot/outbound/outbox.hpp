// bot layer, outbound: the outbox (DESIGN §2) — `replies::push_sink` for producers, and one
// delivery worker per shard.
//
// Producers: `enqueue` writes the pushes to the tenant's stream (state::outbox_store) on the
// tenant's shard and returns once Redis has them; the same idempotency key twice queues once.
// Workers: each has a Redis connection of its own (a blocking XREADGROUP must not stall the
// shard's command connection) and an HTTP client, and loops: promote due retries, take over
// entries a crashed consumer left pending (XAUTOCLAIM after outbox.claim_idle_ms), read new ones
// (BLOCK outbox.block_ms), skip those already marked sent, deliver, then mark sent + XACK, or park
// for a retry with exponential backoff, or dead-letter after outbox.max_attempts failures.
// Consumer name: "<host>-<pid>-<shard>".
#pragma once

#include "bot/config.hpp"
#include "bot/replies/push.hpp"
#include "bot/shards.hpp"
#include "bot/tenants.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace daiban::bot::outbound {

class outbox final : public replies::push_sink {
public:
    outbox(shard_set& shards, const config& cfg, const tenant_registry& tenants);
    ~outbox() override;

    boost::asio::awaitable<boost::system::result<void>>
    enqueue(std::vector<replies::push> pushes) override;

    // Starts one worker per shard (call after shards.start()).
    void start();
    // Stops the workers and waits up to `grace` for them (call before shards.stop()). An entry
    // being delivered when time runs out stays pending and is taken over after a restart.
    void stop(std::chrono::milliseconds grace);

    // Prometheus text: depth per tenant (queued, delayed, dead) and delivery counters.
    void render_metrics(std::string& out) const;

    struct worker;
    struct counters {
        std::atomic<std::uint64_t> enqueued{0}, sent{0}, retried{0}, dead{0}, claimed{0},
            skipped_sent{0};
    };

private:
    shard_set& shards_;
    const config& cfg_;
    const tenant_registry& tenants_;
    std::vector<std::unique_ptr<worker>> workers_;
    counters counters_;
    mutable std::mutex depth_mutex_;
    std::map<std::string, std::array<std::int64_t, 3>> depth_; // tenant -> queued, delayed, dead
    friend struct worker;
};

// The payload stored for a push (JSON) and back; exposed for tests.
std::string encode_push(const replies::push& p);
std::optional<replies::push> decode_push(std::string_view payload);

// Pause before attempt `failures + 1`: base * 2^(failures-1), capped, with ±20 % jitter.
std::chrono::milliseconds backoff(int failures, int base_ms, int max_ms);

} // namespace daiban::bot::outbound
