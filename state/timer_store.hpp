// state layer: durable timers (DESIGN §2 Timers; keys in state/keys.hpp). One sorted set of due
// timers per tenant; claiming moves a timer to an in-flight set with a lease, atomically (Lua), so
// each firing happens once however many shards and replicas claim; a firing that dies lets its
// lease run out and the timer comes back with backoff. Everything is in Redis: timers survive a
// restart of the bot. Callers pass the time (stores never read a clock).
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace daiban::state {

struct timer {
    // Deterministic ids ("appt:12:eve") make arming idempotent and let the owner disarm them.
    std::string id;
    std::int64_t due_ms = 0;     // when it should fire (the first due time; retries keep it)
    std::string kind;            // what to do, e.g. "appt_eve", "case_due_soon"
    std::string target;          // whose conversation the firing runs in (a person's id)
    std::string channel;         // how that person is reached (hook | wechat | wecom)
    std::string payload;         // kind-specific, e.g. the appointment id
    std::int64_t attempt = 0;    // set by claim: this firing's attempt (its fencing token)
    std::int64_t generation = 0; // set by claim: which arming this is (names the firing)
};

struct timer_policy {
    std::int64_t lease_ms = 30'000;       // a firing not settled by then is presumed dead
    std::int64_t backoff_base_ms = 5'000; // retry n waits base * 2^(n-1), at most an hour
    std::int64_t max_attempts = 8;        // then the timer goes to the dead set
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails,
// and nothing else: callers read plain values.
class timer_store {
public:
    virtual ~timer_store() = default;

    // Arms `t` (replacing a timer of the same id).
    virtual boost::asio::awaitable<void> schedule(const std::string& tenant, const timer& t) = 0;
    // Disarms these timers (missing ones are fine); returns how many existed.
    virtual boost::asio::awaitable<std::int64_t> cancel(const std::string& tenant,
                                                        std::vector<std::string> ids) = 0;
    // Claims up to `limit` timers due at `now_ms`.
    virtual boost::asio::awaitable<std::vector<timer>>
    claim(const std::string& tenant, std::int64_t now_ms, int limit) = 0;
    // Ends a firing: done (forget the timer) or retry (back to due with backoff). False when the
    // claim was lost meanwhile (re-armed, or the lease ran out and someone else took it).
    virtual boost::asio::awaitable<bool>
    settle(const std::string& tenant, const timer& claimed, bool done, std::int64_t now_ms) = 0;
    // The armed timer of this id (due or in flight), if any.
    virtual boost::asio::awaitable<std::optional<timer>> find(const std::string& tenant,
                                                              const std::string& id) = 0;
};

// The store on Redis (the production one).
class redis_timer_store final : public timer_store {
public:
    explicit redis_timer_store(redis::connection& conn, timer_policy policy = {})
        : conn_(conn), policy_(policy) {}

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
    redis::connection& conn_;
    timer_policy policy_;
};

} // namespace daiban::state
