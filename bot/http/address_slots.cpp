// bot layer, http: address_slots (see address_slots.hpp).
#include "bot/http/address_slots.hpp"

namespace daiban::bot::http {

address_slots::address_slots(std::size_t per_address, const std::vector<std::string>& trusted)
    : per_address_(per_address), trusted_(trusted.begin(), trusted.end()) {}

std::optional<address_slots::slot> address_slots::take(const std::string& address) {
    if (per_address_ == 0 || trusted_.contains(address)) return slot{}; // nothing to count
    {
        std::lock_guard lock(m_);
        auto& n = held_[address];
        if (n >= per_address_) return std::nullopt;
        ++n;
    }
    return slot{this, address};
}

std::size_t address_slots::held(const std::string& address) const {
    std::lock_guard lock(m_);
    const auto it = held_.find(address);
    return it == held_.end() ? 0 : it->second;
}

void address_slots::release(const std::string& address) {
    std::lock_guard lock(m_);
    const auto it = held_.find(address);
    if (it == held_.end()) return;
    // Forget an address with nothing held: a scan of many addresses must not grow the map.
    if (--it->second == 0) held_.erase(it);
}

} // namespace daiban::bot::http
