// bot layer, outbound: a stand-in push_sink that writes each push to the log (masked) instead of
// delivering it. Used until the outbox (branch `wechat`) is wired in, so timer firings already
// have somewhere to put their messages and an operator (or a test) can see them.
#pragma once

#include "bot/outbound/push.hpp"

namespace daiban::bot::outbound {

class log_sink final : public push_sink {
public:
    boost::asio::awaitable<boost::system::result<void>> enqueue(std::vector<push> pushes) override;
};

// The log line of one push: event=push tenant= channel= to=private:ID|group:ID key= text="..."
std::string describe(const push& p);

} // namespace daiban::bot::outbound
