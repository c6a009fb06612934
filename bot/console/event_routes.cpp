// bot layer, console: live updates — GET /api/v1/events, Server-Sent Events by long poll.
// New cases and tickets enter the tenant's feed (a Redis stream, XADD in the same Lua script that
// creates them: state/lua/open_case.lua, ticket_open.lua), so every replica sees every event. A
// request without Last-Event-ID gets the feed's current position at once; a request with one
// waits on its own Redis connection (XREAD BLOCK: the shard's pipelined connection must never
// block) until something newer arrives or 15 s pass, answers with the events in the agent's
// reach and `retry: 500`, and EventSource comes back with the new Last-Event-ID. Nothing is
// missed between two requests, and no request polls. GET /api/v1/feed lists the latest events
// for a page that just opened.
#include "bot/console/service.hpp"
#include "state/keys.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>

namespace daiban::bot::console {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

constexpr auto block = std::chrono::seconds(15);

bool stream_id(const std::string& s) {
    if (s.empty() || s.size() > 40) return false;
    for (char c : s)
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '-')) return false;
    return true;
}

http::response sse(std::string body) {
    http::response r;
    r.content_type = "text/event-stream; charset=utf-8";
    r.body = "retry: 500\n" + std::move(body);
    r.headers.emplace_back("Cache-Control", "no-store");
    r.headers.emplace_back("X-Accel-Buffering", "no"); // nginx: pass it through as it comes
    return r;
}

// One feed entry as the agent may see it: its position always; its event and data only when
// the case or ticket is within the agent's reach. A complaint never reaches a village agent's
// console (complaints go to the township, as in chat: the agent may be the one complained about).
struct feed_event {
    std::string id;
    std::string event; // case | emergency | ticket; empty = not for this agent
    json data;
};

asio::awaitable<std::optional<feed_event>>
in_reach(handlers::stores& stores, const staff& st, const state::redis::value& entry) {
    if (!entry.is_array() || entry.elements.size() != 2) co_return std::nullopt;
    feed_event out;
    out.id = entry.elements[0].str;
    std::string type, number;
    const auto& f = entry.elements[1].elements;
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
        if (f[i].str == "type") type = f[i + 1].str;
        if (f[i].str == "number") number = f[i + 1].str;
    }
    const std::int64_t n = std::atoll(number.c_str());
    const auto& d = st.data();
    auto vname = [&](const std::string& id) {
        const auto* v = d.org_.find_village(id);
        return v ? v->name : std::string();
    };
    if (type == "case") {
        const auto c = co_await stores.cases.get(st.tenant, n);
        if (!c || !st.scope.covers_village(c->village)) co_return out;
        out.event = "case";
        out.data = {{"number", n},
                    {"code", c->code},
                    {"service_name", c->service_name},
                    {"village_name", vname(c->village)},
                    {"resident_name", c->resident_name},
                    {"at", c->opened_at}};
    } else if (type == "ticket") {
        const auto t = co_await stores.tickets.get(st.tenant, n);
        if (!t) co_return out;
        if (!sees_ticket(st, *t)) co_return out;
        out.event = t->kind == state::ticket_kind::emergency ? "emergency" : "ticket";
        out.data = {{"number", n},
                    {"kind", state::to_string(t->kind)},
                    {"village_name", vname(t->village)},
                    {"summary", t->text.substr(0, 200)},
                    {"at", t->reported_at}};
    }
    co_return out;
}

} // namespace

void add_event_routes(http::router& r, service& s) {
    // What happened lately (newest first), for a page that just opened.
    add_signed(
        r, s, "GET", "/api/v1/feed", false,
        [&s](http::request& req, const http::route_params&,
             const staff& st) -> asio::awaitable<http::response> {
            int limit = 20;
            if (const auto l = query_param(req, "limit"); !l.empty())
                limit = std::clamp(std::atoi(l.c_str()), 1, 100);
            auto* redis = co_await s.redis_here();
            // Read more than asked: some entries are beyond the agent's reach.
            state::redis::command recent{"XREVRANGE", state::keys::feed(st.tenant), "+", "-",
                                         "COUNT",     std::to_string(limit * 5)};
            auto got = co_await redis->exec(std::move(recent));
            if (!got || !got->is_array())
                co_return http::json_error(503, "redis_unavailable", "try again shortly");
            auto* stores = co_await s.stores_here();
            json events = json::array();
            // The feed's top, seen or not: /events?last=<last_id> goes on from exactly here.
            std::string top = "0-0";
            if (!got->elements.empty() && got->elements[0].is_array() &&
                !got->elements[0].elements.empty())
                top = got->elements[0].elements[0].str;
            for (const auto& entry : got->elements) {
                if (static_cast<int>(events.size()) >= limit) break;
                auto one = co_await in_reach(*stores, st, entry);
                if (one && !one->event.empty())
                    events.push_back({{"event", one->event}, {"id", one->id}, {"data", one->data}});
            }
            co_return json_ok(json{{"events", std::move(events)}, {"last_id", top}}.dump(
                -1, ' ', false, json::error_handler_t::replace));
        });

    add_signed(
        r, s, "GET", "/api/v1/events", false,
        [&s](http::request& req, const http::route_params&,
             const staff& st) -> asio::awaitable<http::response> {
            const auto feed = state::keys::feed(st.tenant);
            std::string last(req.header("last-event-id"));
            if (last.empty()) last = query_param(req, "last");
            if (!last.empty() && !stream_id(last))
                co_return http::json_error(400, "bad_request",
                                           "Last-Event-ID must be a feed position like 1733-0");
            if (last.empty()) {
                // Where the feed is now: the next request waits for what comes after.
                auto* redis = co_await s.redis_here();
                state::redis::command tail{"XREVRANGE", feed, "+", "-", "COUNT", "1"};
                auto top = co_await redis->exec(std::move(tail));
                std::string at = "0-0";
                if (top && top->is_array() && !top->elements.empty() &&
                    top->elements[0].is_array() && !top->elements[0].elements.empty())
                    at = top->elements[0].elements[0].str;
                co_return sse("id: " + at + "\n\n");
            }

            // A connection of its own for the blocking read.
            state::redis::config rc;
            rc.address = s.env().cfg.redis;
            rc.command_timeout = block + std::chrono::seconds(5);
            auto ex = co_await asio::this_coro::executor;
            state::redis::connection own(ex, rc);
            own.start();
            asio::steady_timer wait(ex);
            for (int i = 0; i < 40 && !own.connected(); ++i) {
                wait.expires_after(std::chrono::milliseconds(25));
                co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            state::redis::command xread{"XREAD",
                                        "COUNT",
                                        "100",
                                        "BLOCK",
                                        std::to_string(std::chrono::milliseconds(block).count()),
                                        "STREAMS",
                                        feed,
                                        last};
            auto got = co_await own.exec(std::move(xread));
            own.stop();
            if (!got)
                co_return http::json_error(503, "redis_unavailable",
                                           "Redis is not reachable; EventSource will retry");
            std::string body;
            if (got->is_array() && !got->elements.empty() && got->elements[0].is_array() &&
                got->elements[0].elements.size() == 2) {
                auto* stores = co_await s.stores_here();
                for (const auto& entry : got->elements[0].elements[1].elements) {
                    auto one = co_await in_reach(*stores, st, entry);
                    if (!one) continue;
                    last = one->id;
                    if (!one->event.empty())
                        body += "event: " + one->event + "\nid: " + one->id + "\ndata: " +
                                one->data.dump(-1, ' ', false, json::error_handler_t::replace) +
                                "\n\n";
                }
            }
            // Moves the position past what was out of reach too.
            co_return sse(body + "id: " + last + "\n\n");
        });
}

} // namespace daiban::bot::console
