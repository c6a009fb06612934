// bot layer, dialogue: conversation lanes (see conversation_lanes.hpp).
#include "bot/dialogue/conversation_lanes.hpp"

#include <boost/asio.hpp>

namespace daiban::bot::dialogue {

namespace asio = boost::asio;

asio::awaitable<conversation_lanes::guard> conversation_lanes::acquire(std::string key) {
    auto it = lanes_.find(key);
    if (it == lanes_.end()) {
        lanes_.emplace(key, std::deque<asio::any_completion_handler<void()>>{});
        co_return guard(this, std::move(key));
    }
    // Busy: wait until release() hands the lane over to us (the lane stays busy throughout).
    auto token = asio::use_awaitable;
    co_await asio::async_initiate<decltype(token), void()>(
        [this, &key](auto handler) {
            lanes_[key].push_back(asio::any_completion_handler<void()>(std::move(handler)));
        },
        token);
    co_return guard(this, std::move(key));
}

void conversation_lanes::release(const std::string& key) {
    auto it = lanes_.find(key);
    if (it == lanes_.end()) return;
    if (it->second.empty()) {
        lanes_.erase(it);
        return;
    }
    auto next = std::move(it->second.front());
    it->second.pop_front();
    asio::post(ex_, std::move(next));
}

} // namespace daiban::bot::dialogue
