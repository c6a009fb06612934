// bot layer, timers: fires durable timers (state/timer_store) through the dialogue path. Every
// shard runs a claim loop on its own Redis connection; the claim script hands each due timer to
// exactly one claimer (shards and replicas alike). A claimed timer becomes a synthetic turn —
// channel "timer", kind event, event {"timer", "<kind>|<payload>"} — submitted to the dispatcher,
// which runs it on its conversation's shard in order with the person's own messages. Its replies
// have no HTTP response to ride, so they go to the push sink (idempotency key = the firing +
// reply index). A firing that fails is retried with backoff; one that dies (kill -9) comes back
// when its lease runs out; the turn's de-duplication keeps a retry from acting twice.
#pragma once

#include "bot/dialogue/dispatcher.hpp"
#include "bot/replies/push.hpp"
#include "bot/shards.hpp"
#include "handlers/clock.hpp"
#include "state/timer_store.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace daiban::bot::timers {

// A standing timer a tenant always has (e.g. the deadline patrol): armed at start-up if missing.
// Throws state::store_unavailable when Redis fails (the worker tries again on its next tick).
using timer_seed = std::function<boost::asio::awaitable<void>(
    state::redis::connection&, const std::string& tenant, std::int64_t now_ms)>;

struct timer_worker_options {
    std::chrono::milliseconds poll_interval{250};
    std::vector<timer_seed> seeds; // run by shard 0 once Redis answers, retried until done
    // Reshapes a firing's pushes before they are queued (the WeChat 48 h window); unset = as is.
    std::function<boost::asio::awaitable<std::vector<replies::push>>(
        state::redis::connection&, std::vector<replies::push>, std::int64_t now)>
        shape_pushes;
    int claim_batch = 16;
    state::timer_policy policy;
};

// "timer:<id>@<due ms>#<generation>": names one firing (turn id, push idempotency keys).
std::string firing_id(const state::timer& t);
// The synthetic turn of a claimed timer (exposed for tests).
model::turn timer_turn(const std::string& tenant, const state::timer& t);

class timer_worker {
public:
    timer_worker(shard_set& shards,
                 std::vector<std::string> tenant_ids,
                 dialogue::dispatcher& dispatcher,
                 replies::push_sink& sink,
                 const handlers::clock& clock,
                 timer_worker_options options = {});
    ~timer_worker();

    // Starts one claim loop per shard (call after shards.start()).
    void start();
    // Stops claiming; firings in progress finish or are retried after their lease.
    void stop();

    struct state_t; // shared with the loops, which may outlive stop() by a tick

private:
    shard_set& shards_;
    std::shared_ptr<state_t> state_;
};

} // namespace daiban::bot::timers
