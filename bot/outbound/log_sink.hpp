// bot layer, outbound: a replies::push_sink that writes each push to the log (masked; one audit
// line "event=push ...") and hands it on to the next sink (the outbox). Without a next sink it only
// logs (what timers used before the outbox existed; still handy in tools).
#pragma once

#include "bot/replies/push.hpp"

namespace daiban::bot::outbound {

class log_sink final : public replies::push_sink {
public:
    explicit log_sink(replies::push_sink* next = nullptr) : next_(next) {}
    boost::asio::awaitable<boost::system::result<void>>
    enqueue(std::vector<replies::push> pushes) override;

private:
    replies::push_sink* next_;
};

// The log line of one push: event=push tenant= channel= to=private:ID|group:ID key= text="..."
std::string describe(const replies::push& p);

} // namespace daiban::bot::outbound
