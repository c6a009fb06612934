// state layer: platform access tokens shared by every replica and shard (keys in state/keys.hpp),
// the lock that lets one refresher at a time call the platform, and the per-minute counters of
// WeCom group-bot webhooks (20 messages per minute per webhook, across replicas).
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <optional>
#include <string>

namespace daiban::state {

class token_store {
public:
    explicit token_store(redis::connection& conn) : conn_(conn) {}

    // kind: "wechat" | "wecom"
    boost::asio::awaitable<boost::system::result<std::optional<std::string>>>
    get(const std::string& tenant, const std::string& kind);
    boost::asio::awaitable<boost::system::result<void>> put(const std::string& tenant,
                                                            const std::string& kind,
                                                            const std::string& token,
                                                            long long ttl_s);
    // Deletes the token only if it is still `seen` (another refresher may have replaced it).
    boost::asio::awaitable<boost::system::result<void>>
    invalidate(const std::string& tenant, const std::string& kind, const std::string& seen);

    boost::asio::awaitable<boost::system::result<bool>> try_lock(const std::string& tenant,
                                                                 const std::string& kind,
                                                                 const std::string& owner,
                                                                 int ttl_ms);
    boost::asio::awaitable<void>
    unlock(const std::string& tenant, const std::string& kind, const std::string& owner);

    // Takes a place for message `id` in the webhook's rolling window (`limit` per `window_ms`,
    // across replicas). 0 = taken; else the milliseconds until a place frees up.
    boost::asio::awaitable<boost::system::result<std::int64_t>>
    reserve_webhook(const std::string& tenant,
                    const std::string& hook_id,
                    const std::string& id,
                    std::int64_t now_ms,
                    std::int64_t window_ms = 60'000,
                    int limit = 20);
    // Gives the place back: the platform refused the message, so it did not count it.
    boost::asio::awaitable<void>
    release_webhook(const std::string& tenant, const std::string& hook_id, const std::string& id);

private:
    redis::connection& conn_;
};

} // namespace daiban::state
