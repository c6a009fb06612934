// state layer, in memory: memory_timer_store (see timer_store.hpp).
#include "state/memory/timer_store.hpp"

#include <algorithm>
#include <cmath>

namespace daiban::state {

namespace asio = boost::asio;

namespace {

// Retry n waits base * 2^(n-1), at most an hour: the scripts' arithmetic (Lua numbers are
// doubles, so a large n saturates instead of overflowing).
std::int64_t backoff_ms(std::int64_t base, std::int64_t attempts) {
    const double wait = static_cast<double>(base) *
                        std::pow(2.0, static_cast<double>(std::max<std::int64_t>(attempts - 1, 0)));
    return static_cast<std::int64_t>(std::min(wait, 3600000.0));
}

} // namespace

// timer_schedule.lua
asio::awaitable<void> memory_timer_store::schedule(const std::string& tenant, const timer& t) {
    auto& tt = tenants_[tenant];
    timer armed = t;
    armed.attempt = 0;
    armed.generation = ++tt.seq;
    tt.armed[t.id] = std::move(armed);
    tt.inflight.remove(t.id);
    tt.due.add(t.id, t.due_ms);
    co_return;
}

// timer_cancel.lua: counts the hashes deleted, so an id named twice counts once.
asio::awaitable<std::int64_t> memory_timer_store::cancel(const std::string& tenant,
                                                         std::vector<std::string> ids) {
    std::int64_t n = 0;
    if (auto it = tenants_.find(tenant); it != tenants_.end()) {
        auto& tt = it->second;
        for (const auto& id : ids) {
            tt.due.remove(id);
            tt.inflight.remove(id);
            n += static_cast<std::int64_t>(tt.armed.erase(id));
        }
    }
    co_return n;
}

// timer_claim.lua: first the leases that ran out go back to due (with backoff) or give up, then
// the due timers are taken in due order; an id whose hash is gone still uses up the limit.
std::vector<timer>
memory_timer_store::do_claim(const std::string& tenant, std::int64_t now_ms, int limit) {
    std::vector<timer> out;
    auto it = tenants_.find(tenant);
    if (it == tenants_.end()) return out;
    auto& tt = it->second;
    for (const auto& e : tt.inflight.up_to(now_ms, 100)) {
        tt.inflight.remove(e.member);
        auto h = tt.armed.find(e.member);
        if (h == tt.armed.end()) continue;
        const std::int64_t attempts = h->second.attempt;
        if (attempts >= policy_.max_attempts) continue; // the dead set
        tt.due.add(e.member, now_ms + backoff_ms(policy_.backoff_base_ms, attempts));
    }
    // (A negative limit takes all, as LIMIT 0 -1 does.)
    for (const auto& e : tt.due.up_to(now_ms, limit)) {
        tt.due.remove(e.member);
        auto h = tt.armed.find(e.member);
        if (h == tt.armed.end()) continue;
        ++h->second.attempt;
        tt.inflight.add(e.member, now_ms + policy_.lease_ms);
        out.push_back(h->second);
    }
    return out;
}

// timer_settle.lua: only the claim still holding the lease (same attempt, still in flight).
bool memory_timer_store::do_settle(const std::string& tenant,
                                   const timer& claimed,
                                   bool done,
                                   std::int64_t now_ms) {
    auto it = tenants_.find(tenant);
    if (it == tenants_.end()) return false;
    auto& tt = it->second;
    auto h = tt.armed.find(claimed.id);
    if (h == tt.armed.end() || h->second.attempt != claimed.attempt) return false;
    if (!tt.inflight.score(claimed.id)) return false;
    tt.inflight.remove(claimed.id);
    if (done) {
        tt.armed.erase(h);
        return true;
    }
    if (claimed.attempt < policy_.max_attempts)
        tt.due.add(claimed.id, now_ms + backoff_ms(policy_.backoff_base_ms, claimed.attempt));
    return true;
}

asio::awaitable<std::vector<timer>>
memory_timer_store::claim(const std::string& tenant, std::int64_t now_ms, int limit) {
    co_return do_claim(tenant, now_ms, limit);
}

asio::awaitable<bool> memory_timer_store::settle(const std::string& tenant,
                                                 const timer& claimed,
                                                 bool done,
                                                 std::int64_t now_ms) {
    co_return do_settle(tenant, claimed, done, now_ms);
}

asio::awaitable<std::optional<timer>> memory_timer_store::find(const std::string& tenant,
                                                               const std::string& id) {
    std::optional<timer> out;
    if (auto it = tenants_.find(tenant); it != tenants_.end())
        if (auto h = it->second.armed.find(id); h != it->second.armed.end()) out = h->second;
    co_return out;
}

} // namespace daiban::state
