// state layer: residents' profiles (keys: state/keys.hpp `resident`). A resident is a person on
// one channel ("<channel>:<platform id>"), not a conversation: the village they belong to, their
// name and the private chat pushes reach them by, and the case awaiting their rating.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace daiban::state {

struct resident_profile {
    std::string village; // village id; empty while unknown
    std::string name;
    std::string channel;              // hook | wechat | wecom
    std::string chat;                 // private chat id
    std::int64_t awaiting_rating = 0; // case number the bot asked them to rate, 0 = none
};

class resident_store {
public:
    explicit resident_store(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<boost::system::result<resident_profile>>
    get(const std::string& tenant, const std::string& resident);
    // Sets one field ("village", "name", "channel", "chat", "awaiting_rating").
    boost::asio::awaitable<boost::system::result<void>> set(const std::string& tenant,
                                                            const std::string& resident,
                                                            const std::string& field,
                                                            const std::string& value);
    // Remembers how to reach the resident (channel, chat, name) in one HSET.
    boost::asio::awaitable<boost::system::result<void>>
    touch(const std::string& tenant, const std::string& resident, const resident_profile& p);

private:
    redis::connection& conn_;
};

} // namespace daiban::state
