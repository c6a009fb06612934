// state layer, in memory: timer_store without Redis, for handler unit tests. Arming, disarming,
// claiming with a lease and settling follow the Lua scripts (state/lua/timer_*.lua) step by step:
// the same generations, attempt tokens, backoff and claim order. Single-threaded: every call
// completes before its coroutine first returns, as a script is atomic on Redis.
#pragma once

#include "state/memory/sorted_set.hpp"
#include "state/timer_store.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace daiban::state {

class memory_timer_store final : public timer_store {
public:
    explicit memory_timer_store(timer_policy policy = {}) : policy_(policy) {}

    boost::asio::awaitable<void> schedule(const std::string& tenant, const timer& t) override;
    boost::asio::awaitable<std::int64_t> cancel(const std::string& tenant,
                                                std::vector<std::string> ids) override;
    boost::asio::awaitable<std::vector<timer>>
    claim(const std::string& tenant, std::int64_t now_ms, int limit) override;
    boost::asio::awaitable<bool> settle(const std::string& tenant,
                                        const timer& claimed,
                                        bool done,
                                        std::int64_t now_ms) override;
    boost::asio::awaitable<std::optional<timer>> find(const std::string& tenant,
                                                      const std::string& id) override;

private:
    // The timer's hash: what was armed, plus `attempt` (the hash's "attempts") and `generation`.
    // A timer that gave up stays here, in neither set, until cancelled or re-armed (the Redis
    // dead set is only ever written, never read, so it is not kept).
    struct tenant_timers {
        std::int64_t seq = 0; // arming generations
        std::map<std::string, timer> armed;
        memory::sorted_set due;      // score: due ms
        memory::sorted_set inflight; // score: lease end ms
    };

    std::vector<timer> do_claim(const std::string& tenant, std::int64_t now_ms, int limit);
    bool do_settle(const std::string& tenant, const timer& claimed, bool done, std::int64_t now_ms);

    timer_policy policy_;
    std::map<std::string, tenant_timers> tenants_;
};

} // namespace daiban::state
