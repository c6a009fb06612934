// bot layer, http: connections per client address. One address may hold at most `per_address`
// connections at once, so a flood from one client cannot take every slot of the server
// (http.max_connections) and starve /healthz and everyone else. Trusted proxies are exempt: a
// reverse proxy carries all its clients' connections from one address. Shared by every shard's
// accept loop (connections to one port are spread over shards by the kernel), hence the lock.
#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace daiban::bot::http {

class address_slots {
public:
    // `per_address` 0 = no cap. `trusted`: addresses in canonical form
    // (make_address().to_string()).
    address_slots(std::size_t per_address, const std::vector<std::string>& trusted);

    // A connection's hold on its address's slot; gives it back when destroyed.
    class slot {
    public:
        slot() = default;
        slot(address_slots* owner, std::string address)
            : owner_(owner), address_(std::move(address)) {}
        slot(slot&& o) noexcept
            : owner_(std::exchange(o.owner_, nullptr)), address_(std::move(o.address_)) {}
        slot& operator=(slot&&) = delete;
        slot(const slot&) = delete;
        ~slot() {
            if (owner_) owner_->release(address_);
        }

    private:
        address_slots* owner_ = nullptr; // null: nothing counted (no cap, or a trusted proxy)
        std::string address_;
    };

    // nullopt when `address` already holds its cap.
    std::optional<slot> take(const std::string& address);
    // Connections `address` holds now (for tests and metrics).
    std::size_t held(const std::string& address) const;

private:
    void release(const std::string& address);

    std::size_t per_address_;
    std::unordered_set<std::string> trusted_;
    mutable std::mutex m_;
    std::unordered_map<std::string, std::size_t> held_;
};

} // namespace daiban::bot::http
