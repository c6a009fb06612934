// bot layer, console: the shared parts of the routes (see service.hpp) and the wiring.
#include "bot/console/service.hpp"

#include "bot/channels/wechat_channel.hpp"
#include "bot/log.hpp"
#include "common/random_token.hpp"
#include "common/sha256.hpp"
#include "state/errors.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <charconv>

namespace daiban::bot::console {

namespace asio = boost::asio;

namespace {
constexpr const char* session_cookie = "daiban_session";
}

// ---- reach ---------------------------------------------------------------------------------

bool reach::covers_village(const std::string& v) const {
    for (const auto* one : villages)
        if (one->id == v) return true;
    return false;
}

bool reach::covers_scope(const std::string& scope) const {
    if (scope == "county") return kind == "county";
    if (scope.starts_with("township:")) {
        if (kind == "county") return true;
        for (const auto* t : townships)
            if (t->id == scope.substr(9)) return true;
        return false;
    }
    if (scope.starts_with("village:")) return covers_village(scope.substr(8));
    return false;
}

std::string reach::own_scope() const {
    return kind == "county" ? "county" : kind + ":" + id;
}

reach reach_of(const model::tenant_data& d, const model::agent& a) {
    reach r;
    const auto& o = d.org_;
    for (const auto& v : o.villages)
        if (o.reaches(a, v)) r.villages.push_back(&v);
    if (a.role == "county") {
        r.kind = "county";
        r.name = "全县";
        for (const auto& t : o.townships)
            r.townships.push_back(&t);
        return r;
    }
    for (const auto& t : o.townships)
        if (t.supervisor == a.id) r.townships.push_back(&t);
    if (!r.townships.empty()) {
        r.kind = "township";
        r.id = r.townships.front()->id;
        r.name = r.townships.front()->name;
    } else {
        r.kind = "village";
        if (!r.villages.empty()) {
            r.id = r.villages.front()->id;
            r.name = r.villages.front()->name;
        }
    }
    return r;
}

bool sees_ticket(const staff& st, const state::ticket_record& t) {
    if (t.kind == state::ticket_kind::complaint && st.agent->role == "village") return false;
    return t.village.empty() ? st.scope.kind == "county" : st.scope.covers_village(t.village);
}

// ---- helpers -------------------------------------------------------------------------------

http::response json_ok(const std::string& body) {
    http::response r;
    r.body = body;
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

http::response forbidden_out_of_scope(const staff& s, std::string_view what) {
    // Logged: a member of staff asking for what is not theirs is worth a look.
    log::warn("event=console_out_of_scope tenant=" + s.tenant + " agent=" + s.agent->id +
              " asked=\"" + std::string(what) + "\"");
    return http::json_error(403, "out_of_scope", "这不在您负责的范围内");
}

std::string query_param(const http::request& req, std::string_view name) {
    std::string raw(req.query());
    for (auto& c : raw)
        if (c == '+') c = ' '; // HTML forms encode spaces as '+'
    const auto q = channels::parse_query(raw);
    if (!q) return {};
    for (const auto& [k, v] : *q)
        if (k == name) return v;
    return {};
}

std::optional<std::int64_t> positive_number(const std::string& s) {
    std::int64_t n = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc{} || p != s.data() + s.size() || n <= 0) return std::nullopt;
    return n;
}

std::string cookie(const http::request& req, std::string_view name) {
    std::string_view h = req.header("cookie");
    while (!h.empty()) {
        const auto semi = h.find(';');
        auto part = h.substr(0, semi);
        h = semi == std::string_view::npos ? std::string_view{} : h.substr(semi + 1);
        while (!part.empty() && part.front() == ' ')
            part.remove_prefix(1);
        const auto eq = part.find('=');
        if (eq != std::string_view::npos && part.substr(0, eq) == name)
            return std::string(part.substr(eq + 1));
    }
    return {};
}

// ---- service -------------------------------------------------------------------------------

service::service(const environment& env) : env_(env) {
    for (std::size_t i = 0; i < env_.shards.size(); ++i)
        stores_.push_back(
            std::make_unique<handlers::redis_stores>(env_.shards.at(i).redis, env_.cfg.data_dir));
}

service::~service() {
    slow_.join();
}

std::size_t service::shard_index_here(const asio::any_io_executor& ex) const {
    if (const auto* here = ex.target<asio::io_context::executor_type>())
        for (std::size_t i = 0; i < env_.shards.size(); ++i)
            if (&here->context() == &env_.shards.at(i).ioc) return i;
    return env_.shards.size();
}

asio::awaitable<handlers::stores*> service::stores_here() {
    const auto i = shard_index_here(co_await asio::this_coro::executor);
    // Every connection is accepted on a shard; anything else is a wiring mistake.
    if (i >= stores_.size()) throw std::logic_error("console route outside a shard");
    co_return &stores_[i]->view;
}

asio::awaitable<state::console_store*> service::console_here() {
    co_return &(co_await stores_here())->console;
}

asio::awaitable<state::redis::connection*> service::redis_here() {
    const auto i = shard_index_here(co_await asio::this_coro::executor);
    if (i >= stores_.size()) throw std::logic_error("console route outside a shard");
    co_return &env_.shards.at(i).redis;
}

std::int64_t service::idle_s() const {
    return std::int64_t{env_.cfg.console.session_idle_minutes} * 60;
}

std::int64_t service::today_days() const {
    return (now() + 8 * 3600) / 86400; // mainland time, as civil_date::to_days() counts
}

std::string service::clear_cookie() const {
    return std::string(session_cookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
           (env_.cfg.console.secure_cookie ? "; Secure" : "");
}

asio::awaitable<std::pair<std::string, state::console_session>>
service::start_session(const std::string& tenant, const std::string& agent) {
    const std::string token = random_token();
    state::console_session s{agent, random_token(16), now()};
    auto* store = co_await console_here();
    const std::string digest = sha256_hex(token);
    co_await store->put_session(tenant, digest, s, idle_s());
    // The cookie names its tenant: one console serves every tenant of the deployment. No
    // Max-Age: the session ends with the browser or after idle_s without use, whichever first.
    std::string set = std::string(session_cookie) + "=" + tenant + "." + token +
                      "; Path=/; HttpOnly; SameSite=Strict" +
                      (env_.cfg.console.secure_cookie ? "; Secure" : "");
    co_return std::pair{std::move(set), std::move(s)};
}

asio::awaitable<std::optional<std::string>> service::run_command(const staff& st,
                                                                 std::string command) {
    model::turn t;
    t.tenant = st.tenant;
    t.channel = "console";
    t.id = "console-" + random_token(12);
    t.time = now();
    t.chat = {model::chat_kind::private_chat, st.agent->id};
    t.from_id = st.agent->id;
    t.from_name = st.agent->name;
    t.text = std::move(command);
    const auto message_id = t.chat.id + ":" + t.id;
    const model::chat_ref own = t.chat;
    auto outcome = co_await env_.dispatcher.submit(std::move(t));
    if (!outcome) co_return std::nullopt;
    std::string said;
    std::vector<model::reply> elsewhere;
    for (auto& one : outcome->replies)
        if (one.chat == own && (one.channel.empty() || one.channel == "console"))
            said += (said.empty() ? "" : "\n") + one.text;
        else
            elsewhere.push_back(std::move(one));
    if (!elsewhere.empty()) {
        const bool queued =
            co_await env_.push_elsewhere(st.tenant, "console", message_id, std::move(elsewhere));
        if (!queued)
            log::error("event=console_push_failed tenant=" + st.tenant + " message=" + message_id);
    }
    co_return said;
}

asio::awaitable<signed_in_or_error> service::signed_in(const http::request& req,
                                                       bool changes_state) {
    const std::string value = cookie(req, session_cookie);
    const auto dot = value.find('.');
    if (value.empty() || dot == std::string::npos)
        co_return http::json_error(401, "not_signed_in", "请先登录");
    staff s;
    s.tenant = value.substr(0, dot);
    s.digest = sha256_hex(value.substr(dot + 1));
    s.runtime = env_.tenants.find(s.tenant);
    if (!s.runtime || !s.runtime->data)
        co_return http::json_error(401, "not_signed_in", "请先登录");
    auto* store = co_await console_here();
    auto session = co_await store->touch_session(s.tenant, s.digest, idle_s());
    if (!session) co_return http::json_error(401, "not_signed_in", "登录已过期，请重新登录");
    s.agent = s.runtime->data->org_.find_agent(session->agent);
    if (!s.agent) // removed from org.json since signing in
        co_return http::json_error(401, "not_signed_in", "您的账号已不在名单中");
    if (changes_state && req.header("x-csrf-token") != session->csrf)
        co_return http::json_error(
            403, "csrf", "missing or wrong X-CSRF-Token header (GET /api/v1/me gives it)");
    s.session = std::move(*session);
    s.scope = reach_of(s.data(), *s.agent);
    co_return s;
}

void add(http::router& r, std::string method, std::string pattern, http::route_handler h) {
    r.add(std::move(method), std::move(pattern),
          [h = std::move(h)](http::request& req,
                             const http::route_params& p) -> asio::awaitable<http::response> {
              std::optional<http::response> res;
              try {
                  res = co_await h(req, p);
              } catch (const state::store_unavailable& e) {
                  log::warn(std::string("event=console_store_unavailable what=\"") + e.what() +
                            "\"");
              }
              if (!res)
                  res = http::json_error(503, "redis_unavailable",
                                         "the bot's storage is not reachable; try again shortly");
              co_return std::move(*res);
          });
}

void add_signed(http::router& r,
                service& s,
                std::string method,
                std::string pattern,
                bool changes_state,
                staff_handler h) {
    add(r, std::move(method), std::move(pattern),
        [&s, changes_state, h = std::move(h)](
            http::request& req, const http::route_params& p) -> asio::awaitable<http::response> {
            auto who = co_await s.signed_in(req, changes_state);
            if (auto* e = std::get_if<http::response>(&who)) co_return std::move(*e);
            co_return co_await h(req, p, std::get<staff>(who));
        });
}

void service_deleter::operator()(service* s) const {
    delete s;
}

service_handle add_console_routes(http::router& routes, const environment& env) {
    service_handle s(new service(env));
    add_auth_routes(routes, *s);
    add_case_routes(routes, *s);
    add_ticket_routes(routes, *s);
    add_figure_routes(routes, *s);
    add_event_routes(routes, *s);
    add_page_routes(routes, *s);
    return s;
}

} // namespace daiban::bot::console
