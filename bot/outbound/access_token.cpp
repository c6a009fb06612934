// bot layer, outbound: access_tokens (see access_token.hpp).
#include "bot/outbound/access_token.hpp"

#include "bot/log.hpp"
#include "bot/outbound/errors.hpp"
#include "state/token_store.hpp"

#include <boost/asio.hpp>

namespace daiban::bot::outbound {

namespace asio = boost::asio;
using boost::system::result;
using nlohmann::json;

std::optional<platform_account> account_of(const tenant_config& t, std::string_view kind) {
    if (kind == "wechat" && t.wechat)
        return platform_account{t.id, "wechat", t.wechat->api_base, t.wechat->appid,
                                t.wechat->secret};
    if (kind == "wecom" && t.wecom)
        return platform_account{t.id, "wecom", t.wecom->api_base, t.wecom->corp_id,
                                t.wecom->secret};
    return std::nullopt;
}

namespace {
// The cached token expires this long before the platform's expiry, so a token read from the
// cache is never handed out in its last minutes (stable_token rotates ~5 min before expiry).
constexpr long long expiry_margin_s = 300;
constexpr int lock_ttl_ms = 10'000;
} // namespace

bool token_rejected(int errcode) {
    return errcode == 40001 || errcode == 42001 || errcode == 40014;
}

std::string url_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

result<api_reply> parse_api_reply(http_response raw) {
    api_reply r;
    r.body = json::parse(raw.body, nullptr, false);
    if (!r.body.is_object()) return outbound_errc::bad_reply;
    if (auto it = r.body.find("errcode"); it != r.body.end() && it->is_number_integer())
        r.errcode = it->get<int>();
    if (auto it = r.body.find("errmsg"); it != r.body.end() && it->is_string())
        r.errmsg = it->get<std::string>();
    r.raw = std::move(raw);
    return r;
}

access_tokens::access_tokens(state::redis::connection& redis, http_client& http, std::string owner)
    : redis_(redis), http_(http), owner_(std::move(owner)) {}

asio::awaitable<result<std::string>> access_tokens::fetch(const platform_account& a,
                                                          bool force_refresh) {
    http_request req;
    if (a.kind == "wecom") {
        req.method = "GET";
        req.url = a.api_base + "/cgi-bin/gettoken?corpid=" + url_encode(a.id) +
                  "&corpsecret=" + url_encode(a.secret);
    } else {
        req.method = "POST";
        req.url = a.api_base + "/cgi-bin/stable_token";
        req.headers.emplace_back("Content-Type", "application/json");
        req.body = json{{"grant_type", "client_credential"},
                        {"appid", a.id},
                        {"secret", a.secret},
                        {"force_refresh", force_refresh}}
                       .dump();
    }
    auto res = co_await http_.send(std::move(req));
    if (!res) co_return res.error();
    auto reply = parse_api_reply(std::move(*res));
    if (!reply) co_return reply.error();
    const auto token = reply->body.value("access_token", "");
    if (reply->errcode != 0 || token.empty()) {
        log::error("event=token_refused tenant=" + a.tenant + " kind=" + a.kind + " errcode=" +
                   std::to_string(reply->errcode) + " errmsg=\"" + reply->errmsg + "\"");
        co_return outbound_errc::token_unavailable;
    }
    const long long expires_in = reply->body.value("expires_in", 7200LL);
    state::token_store store(redis_);
    auto put =
        co_await store.put(a.tenant, a.kind, token, std::max(30LL, expires_in - expiry_margin_s));
    if (!put) co_return put.error();
    log::info("event=token_refreshed tenant=" + a.tenant + " kind=" + a.kind +
              " expires_in=" + std::to_string(expires_in));
    co_return token;
}

asio::awaitable<result<std::string>> access_tokens::get(const platform_account& a) {
    if (a.secret.empty() || a.id.empty()) co_return outbound_errc::not_configured;
    state::token_store store(redis_);
    auto cached = co_await store.get(a.tenant, a.kind);
    if (!cached) co_return cached.error();
    if (*cached) co_return **cached;

    auto locked = co_await store.try_lock(a.tenant, a.kind, owner_, lock_ttl_ms);
    if (!locked) co_return locked.error();
    if (*locked) {
        // Someone may have stored a token between our read and the lock.
        auto again = co_await store.get(a.tenant, a.kind);
        if (again && *again) {
            co_await store.unlock(a.tenant, a.kind, owner_);
            co_return **again;
        }
        const bool force = std::exchange(force_next_, false);
        auto fresh = co_await fetch(a, force);
        co_await store.unlock(a.tenant, a.kind, owner_);
        co_return fresh;
    }
    // Another refresher is at work: wait for its token with growing pauses (not a spin).
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (int pause_ms = 50; pause_ms <= 1600; pause_ms *= 2) {
        timer.expires_after(std::chrono::milliseconds(pause_ms));
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        auto seen = co_await store.get(a.tenant, a.kind);
        if (!seen) co_return seen.error();
        if (*seen) co_return **seen;
    }
    co_return outbound_errc::token_unavailable;
}

asio::awaitable<void> access_tokens::invalidate(const platform_account& a,
                                                const std::string& seen) {
    state::token_store store(redis_);
    (void)co_await store.invalidate(a.tenant, a.kind, seen);
    force_next_ = true;
}

asio::awaitable<result<api_reply>> access_tokens::call_once(const platform_account&,
                                                            const std::string& token,
                                                            const http_request& base) {
    http_request req = base;
    req.url += (req.url.find('?') == std::string::npos ? "?" : "&");
    req.url += "access_token=" + url_encode(token);
    auto res = co_await http_.send(std::move(req));
    if (!res) co_return res.error();
    // Binary answers (media/get) are successes; JSON is parsed for errcode.
    if (res->content_type.find("json") == std::string::npos &&
        res->content_type.find("text/plain") == std::string::npos && res->status == 200) {
        api_reply r;
        r.raw = std::move(*res);
        co_return r;
    }
    co_return parse_api_reply(std::move(*res));
}

asio::awaitable<result<api_reply>> access_tokens::call(const platform_account& a,
                                                       std::string method,
                                                       std::string path_and_query,
                                                       std::string body) {
    http_request base;
    base.method = std::move(method);
    base.url = a.api_base + path_and_query;
    if (!body.empty()) base.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    base.body = std::move(body);
    auto token = co_await get(a);
    if (!token) co_return token.error();
    auto first = co_await call_once(a, *token, base);
    if (!first || !token_rejected(first->errcode)) co_return first;
    log::warn("event=token_rejected tenant=" + a.tenant + " kind=" + a.kind + " errcode=" +
              std::to_string(first->errcode) + " detail=\"refresh once, retry once\"");
    co_await invalidate(a, *token);
    auto fresh = co_await get(a);
    if (!fresh) co_return fresh.error();
    co_return co_await call_once(a, *fresh, base);
}

} // namespace daiban::bot::outbound
