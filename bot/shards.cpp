// bot layer: shards (see shards.hpp).
#include "bot/shards.hpp"

#include "bot/log.hpp"

#include <boost/asio.hpp>

#include <unistd.h>

namespace daiban::bot {

std::size_t default_shards(unsigned cores, bool redis_local) {
    if (cores == 0) cores = 1; // unknown
    return redis_local && cores > 1 ? cores - 1 : cores;
}

bool redis_on_this_host(const state::redis::address& a) {
    return a.unix_socket || a.host == "localhost" || a.host == "::1" || a.host.starts_with("127.");
}

shard::shard(std::size_t i, const state::redis::config& redis_cfg)
    : index(i), redis(ioc.get_executor(), redis_cfg), lanes(ioc.get_executor()),
      http(ioc.get_executor()),
      tokens(redis, http, "turns-" + std::to_string(getpid()) + "-" + std::to_string(i)) {}

shard_set::shard_set(std::size_t count, const state::redis::config& redis_cfg) : health_(count) {
    for (std::size_t i = 0; i < count; ++i) {
        auto cfg = redis_cfg;
        cfg.on_health = [this, i](bool up, const std::string& reason) {
            health_.report(i, up, reason);
        };
        shards_.push_back(std::make_unique<shard>(i, cfg));
    }
}

shard_set::~shard_set() {
    stop();
}

void shard_set::start() {
    for (auto& s : shards_) {
        work_.push_back(boost::asio::make_work_guard(s->ioc));
        boost::asio::post(s->ioc, [sh = s.get()] { sh->redis.start(); });
        s->thread = std::thread([sh = s.get()] {
            for (;;) {
                try {
                    sh->ioc.run();
                    return;
                } catch (const std::exception& e) {
                    // Last resort: a request's exception must not take the shard down.
                    log::error(std::string("event=shard_exception shard=") +
                               std::to_string(sh->index) + " what=\"" + e.what() + "\"");
                }
            }
        });
    }
}

void shard_set::stop() {
    for (auto& s : shards_)
        if (s->thread.joinable()) boost::asio::post(s->ioc, [sh = s.get()] { sh->redis.stop(); });
    work_.clear();
    for (auto& s : shards_) {
        if (!s->thread.joinable()) continue;
        s->ioc.stop();
        s->thread.join();
    }
}

shard& shard_set::owner(std::string_view key) {
    return *shards_[std::hash<std::string_view>{}(key) % shards_.size()];
}

bool shard_set::redis_ready() const {
    for (const auto& s : shards_)
        if (!s->redis.connected()) return false;
    return true;
}

} // namespace daiban::bot
