// bot layer: shards (DESIGN §2). One io_context per core, each run by one thread, each with its
// own Redis connection and conversation lanes: shared nothing. A conversation belongs to the
// shard its key hashes to; work for it is posted there.
#pragma once

#include "bot/dialogue/conversation_lanes.hpp"
#include "bot/outbound/access_token.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/redis_health.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string_view>
#include <thread>
#include <vector>

namespace daiban::bot {

struct shard {
    explicit shard(std::size_t i, const state::redis::config& redis_cfg);

    std::size_t index;
    boost::asio::io_context ioc{1}; // one thread: lets Asio skip its internal locking
    state::redis::connection redis;
    dialogue::conversation_lanes lanes;
    // Outbound HTTP during turns (downloading a photo a resident sent); platform tokens come from
    // the Redis cache the outbox workers share.
    outbound::http_client http;
    outbound::access_tokens tokens;
    std::thread thread;
};

// How many shards `threads: 0` means: one per core, minus one when Redis runs on this host
// (loopback or unix socket). Redis is single-threaded and busy on every message; with a shard
// on every core the shards and Redis preempt each other. Measured on 2 cores (deploy/bench.sh):
// 2 shards 19–23k msg/s with ~50k context switches per 4 s; 1 shard 25–27k with a tenth of them.
std::size_t default_shards(unsigned cores, bool redis_on_this_host);
bool redis_on_this_host(const state::redis::address& a);

class shard_set {
public:
    shard_set(std::size_t count, const state::redis::config& redis_cfg);
    ~shard_set();

    // Starts each shard's Redis connection and thread.
    void start();
    // Stops the Redis connections and the io_contexts, then joins the threads.
    void stop();

    std::size_t size() const { return shards_.size(); }
    shard& at(std::size_t i) { return *shards_[i]; }
    shard& owner(std::string_view key);
    // True when every shard's Redis connection is up.
    bool redis_ready() const;

private:
    redis_health health_; // logs each Redis outage once (start and end)
    std::vector<std::unique_ptr<shard>> shards_;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
};

} // namespace daiban::bot
