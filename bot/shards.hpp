// bot layer: shards (DESIGN §2). One io_context per core, each run by one thread, each with its
// own Redis connection and conversation lanes: shared nothing. A conversation belongs to the
// shard its key hashes to; work for it is posted there.
#pragma once

#include "bot/dialogue/conversation_lanes.hpp"
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
    std::thread thread;
};

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
    std::vector<std::unique_ptr<shard>> shards_;
    std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
};

} // namespace daiban::bot
