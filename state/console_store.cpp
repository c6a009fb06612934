// state layer: console_store on Redis (see console_store.hpp).
#include "state/console_store.hpp"

#include "state/errors.hpp"
#include "state/keys.hpp"

#include <nlohmann/json.hpp>

namespace daiban::state {

namespace asio = boost::asio;

namespace {

// One command; a failure or an error reply throws store_unavailable.
asio::awaitable<redis::value> run(redis::connection& conn, redis::command cmd) {
    auto r = co_await conn.exec(std::move(cmd));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    co_return std::move(*r);
}

} // namespace

std::string encode_view(const file_view& v) {
    return nlohmann::json{{"at", v.at}, {"who", v.who}, {"file", v.file}, {"from", v.from}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<file_view> decode_view(const std::string& stored) {
    const auto j = nlohmann::json::parse(stored, nullptr, false);
    if (!j.is_object() || !j.contains("who") || !j["who"].is_string()) return std::nullopt;
    file_view v;
    v.at = j.value("at", std::int64_t{0});
    v.who = j["who"].get<std::string>();
    v.file = j.value("file", std::string());
    v.from = j.value("from", std::string());
    return v;
}

asio::awaitable<void> redis_console_store::put_link(const std::string& tenant,
                                                    const std::string& digest,
                                                    const std::string& agent,
                                                    std::int64_t ttl_s) {
    redis::command cmd{"SET", keys::console_link(tenant, digest), agent, "EX",
                       std::to_string(std::max<std::int64_t>(1, ttl_s))};
    co_await run(conn_, std::move(cmd));
}

asio::awaitable<std::optional<std::string>>
redis_console_store::take_link(const std::string& tenant, const std::string& digest) {
    // GETDEL: of two requests with the same link exactly one gets the agent.
    redis::command cmd{"GETDEL", keys::console_link(tenant, digest)};
    const auto v = co_await run(conn_, std::move(cmd));
    co_return v.as_string();
}

asio::awaitable<void> redis_console_store::put_session(const std::string& tenant,
                                                       const std::string& digest,
                                                       const console_session& s,
                                                       std::int64_t idle_s) {
    const auto key = keys::console_session(tenant, digest);
    std::vector<redis::command> cmds;
    cmds.push_back({"HSET", key, "agent", s.agent, "csrf", s.csrf, "created_at",
                    std::to_string(s.created_at)});
    cmds.push_back({"EXPIRE", key, std::to_string(std::max<std::int64_t>(1, idle_s))});
    auto r = co_await conn_.exec_many(std::move(cmds));
    throw_if_failed(r);
    for (const auto& one : *r)
        if (one.is_error()) throw_unavailable(errc::redis_error_reply);
}

asio::awaitable<std::optional<console_session>> redis_console_store::touch_session(
    const std::string& tenant, const std::string& digest, std::int64_t idle_s) {
    const auto key = keys::console_session(tenant, digest);
    std::vector<redis::command> cmds;
    cmds.push_back({"HGETALL", key});
    // EXPIRE on a missing key does nothing: an expired session stays gone.
    cmds.push_back({"EXPIRE", key, std::to_string(std::max<std::int64_t>(1, idle_s))});
    auto r = co_await conn_.exec_many(std::move(cmds));
    throw_if_failed(r);
    const auto& all = (*r)[0];
    if (all.is_error() || !all.is_array()) throw_unavailable(errc::unexpected_reply);
    console_session s;
    for (std::size_t i = 0; i + 1 < all.elements.size(); i += 2) {
        const auto& k = all.elements[i].str;
        const auto& v = all.elements[i + 1].str;
        if (k == "agent")
            s.agent = v;
        else if (k == "csrf")
            s.csrf = v;
        else if (k == "created_at")
            s.created_at = std::atoll(v.c_str());
    }
    if (s.agent.empty()) co_return std::nullopt;
    co_return s;
}

asio::awaitable<void> redis_console_store::drop_session(const std::string& tenant,
                                                        const std::string& digest) {
    redis::command cmd{"DEL", keys::console_session(tenant, digest)};
    co_await run(conn_, std::move(cmd));
}

asio::awaitable<void> redis_console_store::set_password(const std::string& tenant,
                                                        const std::string& agent,
                                                        const std::string& hash) {
    redis::command cmd{"SET", keys::console_password(tenant, agent), hash};
    co_await run(conn_, std::move(cmd));
}

asio::awaitable<std::optional<std::string>>
redis_console_store::password(const std::string& tenant, const std::string& agent) {
    redis::command cmd{"GET", keys::console_password(tenant, agent)};
    const auto v = co_await run(conn_, std::move(cmd));
    co_return v.as_string();
}

asio::awaitable<std::int64_t> redis_console_store::failures(const std::string& tenant,
                                                            const std::string& who) {
    redis::command cmd{"GET", keys::console_tries(tenant, who)};
    const auto v = co_await run(conn_, std::move(cmd));
    const auto s = v.as_string();
    co_return s ? std::atoll(s->c_str()) : 0;
}

asio::awaitable<std::pair<std::int64_t, std::int64_t>> redis_console_store::add_failure(
    const std::string& tenant, const std::string& who, std::int64_t window_s) {
    const auto key = keys::console_tries(tenant, who);
    std::vector<redis::command> cmds;
    cmds.push_back({"INCR", key});
    // NX: the window starts at the first failure and is not stretched by later ones.
    cmds.push_back({"EXPIRE", key, std::to_string(std::max<std::int64_t>(1, window_s)), "NX"});
    cmds.push_back({"TTL", key});
    auto r = co_await conn_.exec_many(std::move(cmds));
    throw_if_failed(r);
    const auto count = (*r)[0].as_integer();
    const auto ttl = (*r)[2].as_integer();
    if (!count) throw_unavailable(errc::unexpected_reply);
    co_return std::pair{*count, ttl && *ttl > 0 ? *ttl : window_s};
}

asio::awaitable<void> redis_console_store::clear_failures(const std::string& tenant,
                                                          const std::string& who) {
    redis::command cmd{"DEL", keys::console_tries(tenant, who)};
    co_await run(conn_, std::move(cmd));
}

asio::awaitable<void> redis_console_store::log_view(const std::string& tenant,
                                                    std::int64_t case_number,
                                                    const file_view& v) {
    redis::command cmd{"RPUSH", keys::case_views(tenant, case_number), encode_view(v)};
    co_await run(conn_, std::move(cmd));
}

asio::awaitable<std::vector<file_view>> redis_console_store::views(const std::string& tenant,
                                                                   std::int64_t case_number) {
    redis::command cmd{"LRANGE", keys::case_views(tenant, case_number), "0", "-1"};
    const auto v = co_await run(conn_, std::move(cmd));
    std::vector<file_view> out;
    for (const auto& e : v.elements)
        if (auto one = decode_view(e.str)) out.push_back(std::move(*one));
    co_return out;
}

} // namespace daiban::state
