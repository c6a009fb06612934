// state layer: residents' profiles (keys: state/keys.hpp `resident`). A resident is a person on
// one channel ("<channel>:<platform id>"), not a conversation: the village they belong to, their
// name and the private chat pushes reach them by, and the case awaiting their rating.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::state {

struct resident_profile {
    std::string village; // village id; empty while unknown
    std::string name;
    std::string channel;              // hook | wechat | wecom
    std::string chat;                 // private chat id
    std::int64_t awaiting_rating = 0; // case number the bot asked them to rate, 0 = none
    // ticket (complaint or suggestion) whose answer the bot asked them to rate (回访), 0 = none
    std::int64_t awaiting_ticket_rating = 0;
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails,
// and nothing else: callers read plain values.
class resident_store {
public:
    virtual ~resident_store() = default;

    virtual boost::asio::awaitable<resident_profile> get(const std::string& tenant,
                                                         const std::string& resident) = 0;
    // Sets one field ("village", "name", "channel", "chat", "awaiting_rating",
    // "awaiting_ticket_rating"). Setting the village also files the resident under it
    // (in_village).
    virtual boost::asio::awaitable<void> set(const std::string& tenant,
                                             const std::string& resident,
                                             const std::string& field,
                                             const std::string& value) = 0;
    // Remembers how to reach the resident (channel, chat, name) in one HSET.
    virtual boost::asio::awaitable<void>
    touch(const std::string& tenant, const std::string& resident, const resident_profile& p) = 0;
    // The residents whose profile names `village` now (a campaign's roster), in id order.
    virtual boost::asio::awaitable<std::vector<std::string>>
    in_village(const std::string& tenant, const std::string& village) = 0;
};

// The store on Redis (the production one).
class redis_resident_store final : public resident_store {
public:
    explicit redis_resident_store(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<resident_profile> get(const std::string& tenant,
                                                 const std::string& resident) override;
    boost::asio::awaitable<void> set(const std::string& tenant,
                                     const std::string& resident,
                                     const std::string& field,
                                     const std::string& value) override;
    boost::asio::awaitable<void> touch(const std::string& tenant,
                                       const std::string& resident,
                                       const resident_profile& p) override;
    boost::asio::awaitable<std::vector<std::string>>
    in_village(const std::string& tenant, const std::string& village) override;

private:
    redis::connection& conn_;
};

// Reads one stored field into `p` ("awaiting_rating": a malformed number reads as its leading
// digits, or 0; unknown fields are ignored). Both implementations read profiles this way.
void read_profile_field(resident_profile& p, std::string_view field, std::string_view value);

} // namespace daiban::state
