// bot layer, console: signing in and out, and who is signed in.
//   GET  /console/login?t=<tenant>.<token>  the one-time link from `后台` (303 to /console/)
//   POST /api/v1/login   {"tenant","agent","password"}
//   POST /api/v1/logout
//   GET  /api/v1/me
// Failed password sign-ins are counted per account and per address (state/console_store): past
// the limit the answer is 429 with Retry-After until the window ends, whether or not the next
// guess would be right.
#include "bot/console/passwords.hpp"
#include "bot/console/service.hpp"
#include "bot/log.hpp"
#include "common/sha256.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

namespace daiban::bot::console {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr std::int64_t failure_window_s = 15 * 60;
constexpr std::int64_t max_failures_per_account = 5;
constexpr std::int64_t max_failures_per_address = 20;

std::string me_json(const staff& s) {
    json j;
    j["tenant"] = s.tenant;
    j["agent"] = {{"id", s.agent->id}, {"name", s.agent->name}, {"role", s.agent->role}};
    j["scope"] = {{"kind", s.scope.kind}, {"id", s.scope.id}, {"name", s.scope.name}};
    j["townships"] = json::array();
    for (const auto* t : s.scope.townships)
        j["townships"].push_back({{"id", t->id}, {"name", t->name}});
    j["villages"] = json::array();
    for (const auto* v : s.scope.villages)
        j["villages"].push_back({{"id", v->id}, {"name", v->name}, {"township", v->township}});
    j["csrf"] = s.session.csrf;
    return j.dump();
}

http::response page(int status, const std::string& title, const std::string& body) {
    http::response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width\"><title>" +
             title +
             "</title><body style=\"font-family:sans-serif;max-width:30em;margin:3em auto;"
             "padding:0 1em\"><h1>" +
             title + "</h1><p>" + body + "</p></body></html>";
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    return r;
}

// A hash to verify against when the account has no password, so a wrong name costs as much time
// as a wrong password and the answer's delay does not tell which accounts exist.
const std::string& decoy_hash() {
    static const std::string h = hash_password("decoy password never set").value_or("");
    return h;
}

// The parameters are copies kept in the coroutine's own frame while it runs on the pool.
asio::awaitable<bool> verify_elsewhere(std::string hash, std::string password) {
    co_return verify_password(hash, password);
}

} // namespace

void add_auth_routes(http::router& r, service& s) {
    add(r, "GET", "/console/login",
        [&s](http::request& req, const http::route_params&) -> asio::awaitable<http::response> {
            const std::string t = query_param(req, "t");
            const auto dot = t.find('.');
            const std::string tenant = dot == std::string::npos ? "" : t.substr(0, dot);
            const auto runtime = s.env().tenants.find(tenant);
            std::optional<std::string> agent;
            if (runtime && runtime->data) {
                auto* store = co_await s.console_here();
                const std::string digest = sha256_hex(t.substr(dot + 1));
                agent = co_await store->take_link(tenant, digest);
            }
            if (!agent || !runtime->data->org_.find_agent(*agent))
                co_return page(401, "链接已失效",
                               "这个登录链接已经用过或已过期（10 分钟内有效，只能用一次）。"
                               "请在微信里给机器人发“后台”，重新获取链接。");
            // (No structured bindings of a co_await result: GCC 12 frees them twice.)
            const auto started = co_await s.start_session(tenant, *agent);
            const auto& cookie_value = started.first;
            log::info("event=console_sign_in tenant=" + tenant + " agent=" + *agent +
                      " by=link from=" + req.remote);
            http::response res;
            res.status = 303;
            res.content_type = "text/plain; charset=utf-8";
            res.headers.emplace_back("Location", "/console/");
            res.headers.emplace_back("Set-Cookie", cookie_value);
            res.headers.emplace_back("Cache-Control", "no-store");
            res.headers.emplace_back("Referrer-Policy", "no-referrer");
            co_return res;
        });

    add(r, "POST", "/api/v1/login",
        [&s](http::request& req, const http::route_params&) -> asio::awaitable<http::response> {
            const auto j = json::parse(req.body, nullptr, false);
            auto text = [&](const char* k) -> std::string {
                return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>()
                                                                          : std::string();
            };
            const std::string tenant = text("tenant");
            const std::string agent_id = text("agent");
            const std::string password = text("password");
            if (tenant.empty() || agent_id.empty() || password.empty())
                co_return http::json_error(
                    400, "bad_request",
                    "send {\"tenant\": \"demo\", \"agent\": \"<org.json agent id>\", "
                    "\"password\": \"...\"}");
            const auto runtime = s.env().tenants.find(tenant);
            auto* store = co_await s.console_here();
            const std::string account = "agent:" + agent_id;
            const std::string address = "addr:" + req.remote;
            // Refused before any hashing while either counter is past its limit.
            const auto by_account = co_await store->failures(tenant, account);
            const auto by_address = co_await store->failures(tenant, address);
            if (by_account >= max_failures_per_account || by_address >= max_failures_per_address) {
                auto res = http::json_error(429, "too_many_attempts",
                                            "登录失败次数太多，请 15 分钟后再试");
                res.headers.emplace_back("Retry-After", std::to_string(failure_window_s));
                co_return res;
            }
            const model::agent* agent =
                runtime && runtime->data ? runtime->data->org_.find_agent(agent_id) : nullptr;
            std::optional<std::string> hash;
            if (agent) hash = co_await store->password(tenant, agent_id);
            std::string against = decoy_hash();
            if (hash) against = *hash;
            // Argon2id takes tens of milliseconds of CPU: not on a shard's thread.
            const bool ok = co_await asio::co_spawn(
                s.slow_pool(), verify_elsewhere(against, password), asio::use_awaitable);
            if (!agent || !hash || !ok) {
                const auto counted = co_await store->add_failure(tenant, account, failure_window_s);
                const auto n = counted.first;
                co_await store->add_failure(tenant, address, failure_window_s);
                log::warn("event=console_sign_in_failed tenant=" + tenant + " agent=" + agent_id +
                          " from=" + req.remote + " failures=" + std::to_string(n));
                co_return http::json_error(401, "bad_credentials", "账号或密码不对");
            }
            co_await store->clear_failures(tenant, account);
            const auto started = co_await s.start_session(tenant, agent_id);
            const auto& cookie_value = started.first;
            const auto& session = started.second;
            log::info("event=console_sign_in tenant=" + tenant + " agent=" + agent_id +
                      " by=password from=" + req.remote);
            staff st;
            st.tenant = tenant;
            st.runtime = runtime;
            st.agent = agent;
            st.session = session;
            st.scope = reach_of(*runtime->data, *agent);
            auto res = json_ok(me_json(st));
            res.headers.emplace_back("Set-Cookie", cookie_value);
            co_return res;
        });

    add_signed(r, s, "POST", "/api/v1/logout", true,
               [&s](http::request&, const http::route_params&,
                    const staff& st) -> asio::awaitable<http::response> {
                   auto* store = co_await s.console_here();
                   co_await store->drop_session(st.tenant, st.digest);
                   auto res = json_ok(R"({"ok":true})");
                   res.headers.emplace_back("Set-Cookie", s.clear_cookie());
                   co_return res;
               });

    add(r, "GET", "/api/v1/me",
        [&s](http::request& req, const http::route_params&) -> asio::awaitable<http::response> {
            auto who = co_await s.signed_in(req, false);
            if (auto* e = std::get_if<http::response>(&who)) co_return std::move(*e);
            co_return json_ok(me_json(std::get<staff>(who)));
        });
}

} // namespace daiban::bot::console
