// bot layer, outbound: access tokens for the WeChat official account (POST /cgi-bin/stable_token)
// and WeCom (GET /cgi-bin/gettoken), cached in Redis (dbn:{t}:<kind>:token, TTL = expires_in -
// 300 s) so every replica and shard shares one token. One refresher at a time holds a SET NX PX
// lock; the others re-read the cache a few times with growing pauses (50 ms ... 1.6 s) instead of
// calling the platform. `call` does a platform API call with the token and, on 40001 / 42001 /
// 40014, invalidates the token it used (only if still current), refreshes once and retries once.
#pragma once

#include "bot/config.hpp"
#include "bot/outbound/http_client.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace daiban::bot::outbound {

struct platform_account {
    std::string tenant;
    std::string kind; // "wechat" (official account) | "wecom"
    std::string api_base;
    std::string id;     // appid | corp_id
    std::string secret; // AppSecret | the app's secret
};

// The tenant's account on `kind` ("wechat": the official account, "wecom": the self-built app);
// nullopt when the tenant has no such section.
std::optional<platform_account> account_of(const tenant_config& t, std::string_view kind);

// A platform API answer: `errcode` 0 is success (JSON APIs answer errors with HTTP 200).
struct api_reply {
    int errcode = 0;
    std::string errmsg;
    nlohmann::json body;
    http_response raw;
};

class access_tokens {
public:
    // `owner` names this process+shard in the refresh lock (for operators reading Redis).
    access_tokens(state::redis::connection& redis, http_client& http, std::string owner);

    boost::asio::awaitable<boost::system::result<std::string>> get(const platform_account& a);
    // Drops `seen` from the cache if it is still the current token; the next get() refreshes
    // (stable_token with force_refresh, because the platform said the token is bad).
    boost::asio::awaitable<void> invalidate(const platform_account& a, const std::string& seen);

    // `path_and_query` without the access_token parameter, e.g. "/cgi-bin/message/custom/send".
    // Errors are transport / token failures; platform errcodes are in the reply.
    boost::asio::awaitable<boost::system::result<api_reply>> call(const platform_account& a,
                                                                  std::string method,
                                                                  std::string path_and_query,
                                                                  std::string body);

private:
    boost::asio::awaitable<boost::system::result<api_reply>>
    call_once(const platform_account& a, const std::string& token, const http_request& base);
    boost::asio::awaitable<boost::system::result<std::string>> fetch(const platform_account& a,
                                                                     bool force_refresh);

    state::redis::connection& redis_;
    http_client& http_;
    std::string owner_;
    bool force_next_ = false; // the last invalidate() saw a rejected token
};

// True for the errcodes that mean "this token is not (or no longer) valid".
bool token_rejected(int errcode);

// Percent-encodes a query parameter value.
std::string url_encode(std::string_view s);

// Parses a platform JSON answer; bad_reply when it is not a JSON object.
boost::system::result<api_reply> parse_api_reply(http_response raw);

} // namespace daiban::bot::outbound
