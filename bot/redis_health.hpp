// bot layer: Redis health as the log tells it. Each shard's connection reports its own ups and
// downs (state::redis::config::on_health); this folds them into the one thing an operator needs:
// a warning when Redis becomes unreachable (with the first reason seen) and an info line when
// every connection is back (with how long the outage lasted) — once per outage, however many
// requests were answered 503 meanwhile.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace daiban::bot {

class redis_health {
public:
    explicit redis_health(std::size_t connections);

    // Called from any shard's thread.
    void report(std::size_t connection, bool up, const std::string& reason);

private:
    std::mutex m_;
    std::vector<bool> down_;
    std::size_t down_count_ = 0;
    std::chrono::steady_clock::time_point since_;
};

} // namespace daiban::bot
