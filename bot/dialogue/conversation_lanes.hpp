// bot layer, dialogue: one lane per conversation, so that a conversation's turns run one at a
// time and in arrival order (DESIGN §2). Lanes live on one shard and are used only from its
// thread, so no locks: a waiting turn parks its completion handler in the lane's FIFO.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <deque>
#include <string>
#include <unordered_map>

namespace daiban::bot::dialogue {

class conversation_lanes {
public:
    explicit conversation_lanes(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

    // Holding a guard means it is this turn's go; destroying it lets the next turn run.
    class guard {
    public:
        guard(conversation_lanes* owner, std::string key) : owner_(owner), key_(std::move(key)) {}
        guard(guard&& o) noexcept
            : owner_(std::exchange(o.owner_, nullptr)), key_(std::move(o.key_)) {}
        guard& operator=(guard&&) = delete;
        ~guard() {
            if (owner_) owner_->release(key_);
        }

    private:
        conversation_lanes* owner_;
        std::string key_;
    };

    boost::asio::awaitable<guard> acquire(std::string key);

    std::size_t active() const { return lanes_.size(); }

private:
    void release(const std::string& key);

    boost::asio::any_io_executor ex_;
    std::unordered_map<std::string, std::deque<boost::asio::any_completion_handler<void()>>> lanes_;
};

} // namespace daiban::bot::dialogue
