// state layer: token_store (see token_store.hpp).
#include "state/token_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<std::optional<std::string>>> token_store::get(const std::string& tenant,
                                                                     const std::string& kind) {
    redis::command c{"GET", keys::platform_token(tenant, kind)};
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return r.error();
    if (r->is_error()) co_return errc::redis_error_reply;
    co_return r->as_string();
}

asio::awaitable<result<void>> token_store::put(const std::string& tenant,
                                               const std::string& kind,
                                               const std::string& token,
                                               long long ttl_s) {
    redis::command c{"SET", keys::platform_token(tenant, kind), token, "EX",
                     std::to_string(std::max(1LL, ttl_s))};
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return r.error();
    if (r->is_error()) co_return errc::redis_error_reply;
    co_return result<void>{};
}

asio::awaitable<result<void>> token_store::invalidate(const std::string& tenant,
                                                      const std::string& kind,
                                                      const std::string& seen) {
    std::vector<std::string> k{keys::platform_token(tenant, kind)};
    std::vector<std::string> a{seen};
    auto r = co_await conn_.eval(scripts::compare_delete(), std::move(k), std::move(a));
    if (!r) co_return r.error();
    co_return result<void>{};
}

asio::awaitable<result<bool>> token_store::try_lock(const std::string& tenant,
                                                    const std::string& kind,
                                                    const std::string& owner,
                                                    int ttl_ms) {
    redis::command c{
        "SET", keys::platform_token_lock(tenant, kind), owner, "NX", "PX", std::to_string(ttl_ms)};
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    if (r->is_error())
        co_return result<bool>(boost::system::in_place_error, errc::redis_error_reply);
    co_return !r->is_nil();
}

asio::awaitable<void>
token_store::unlock(const std::string& tenant, const std::string& kind, const std::string& owner) {
    // Best effort: the lock expires by itself.
    std::vector<std::string> k{keys::platform_token_lock(tenant, kind)};
    std::vector<std::string> a{owner};
    (void)co_await conn_.eval(scripts::compare_delete(), std::move(k), std::move(a));
}

asio::awaitable<result<std::int64_t>> token_store::reserve_webhook(const std::string& tenant,
                                                                   const std::string& hook_id,
                                                                   const std::string& id,
                                                                   std::int64_t now_ms,
                                                                   std::int64_t window_ms,
                                                                   int limit) {
    std::vector<std::string> k{keys::webhook_sent(tenant, hook_id)};
    std::vector<std::string> a{std::to_string(now_ms), std::to_string(window_ms),
                               std::to_string(limit), id};
    auto r = co_await conn_.eval(scripts::webhook_reserve(), std::move(k), std::move(a));
    if (!r) co_return r.error();
    if (auto n = r->as_integer()) co_return *n;
    co_return errc::unexpected_reply;
}

asio::awaitable<void> token_store::release_webhook(const std::string& tenant,
                                                   const std::string& hook_id,
                                                   const std::string& id) {
    redis::command c{"ZREM", keys::webhook_sent(tenant, hook_id), id};
    (void)co_await conn_.exec(std::move(c)); // best effort: the place frees up within a minute
}

} // namespace daiban::state
