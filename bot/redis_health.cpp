// bot layer: redis_health (see redis_health.hpp).
#include "bot/redis_health.hpp"

#include "bot/log.hpp"

namespace daiban::bot {

redis_health::redis_health(std::size_t connections) : down_(connections, false) {}

void redis_health::report(std::size_t connection, bool up, const std::string& reason) {
    std::lock_guard lock(m_);
    if (connection >= down_.size() || down_[connection] == !up) return;
    down_[connection] = !up;
    if (!up) {
        if (down_count_++ > 0) return; // the outage was already told
        since_ = std::chrono::steady_clock::now();
        log::warn("event=redis_down reason=\"" + reason +
                  "\" detail=\"requests needing Redis are answered 503 until it is back; "
                  "reconnecting\"");
        return;
    }
    if (--down_count_ > 0) return; // not every connection is back yet
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - since_)
                        .count();
    // Not batched: the operator watching the outage wants to see its end at once.
    log::audit("event=redis_up outage_ms=" + std::to_string(ms) +
               " detail=\"every connection is back\"");
}

} // namespace daiban::bot
