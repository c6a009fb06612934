// state layer: when a resident last wrote to the bot. WeChat lets the bot message a resident
// freely only within 48 hours of their last message (customer-service window,
// wechat_protocol.md §5.2); pushes consult this to decide. It is the private conversation's
// `last_seen` (every turn but a timer's sets it, in the turn's own transaction), so it costs the
// message path no write of its own; the conversation lives 30 days after the last message, far
// longer than the 48 h that matter.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace daiban::state {

class contact_store {
public:
    explicit contact_store(redis::connection& conn) : conn_(conn) {}

    // Unix seconds of the user's last message; nullopt if none in the last 30 days.
    boost::asio::awaitable<boost::system::result<std::optional<std::int64_t>>>
    last_inbound(const std::string& tenant, const std::string& user);

private:
    redis::connection& conn_;
};

} // namespace daiban::state
