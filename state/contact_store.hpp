// state layer: when each resident last wrote to the bot, per channel (keys: state/keys.hpp
// `inbound`). WeChat lets the bot message a resident freely only within 48 hours of their last
// message (customer-service window, wechat_protocol.md §5.2); pushes consult this to decide.
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

    // Records that `user` wrote now; the turn writes it inside its own transaction.
    static redis::command inbound_command(const std::string& tenant,
                                          const std::string& channel,
                                          const std::string& user,
                                          std::int64_t now);
    // Unix seconds of the user's last message on `channel`; nullopt if never seen.
    boost::asio::awaitable<boost::system::result<std::optional<std::int64_t>>>
    last_inbound(const std::string& tenant, const std::string& channel, const std::string& user);

private:
    redis::connection& conn_;
};

} // namespace daiban::state
