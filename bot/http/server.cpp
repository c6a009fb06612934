// bot layer, http: the Beast server (see server.hpp). This is the one translation unit that
// instantiates Beast's HTTP reader and writer for the server side.
#include "bot/http/server.hpp"

#include "bot/http/address_slots.hpp"
#include "bot/log.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <chrono>
#include <unordered_set>

namespace daiban::bot::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;

namespace {
using reuse_port = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

struct scope_exit {
    std::function<void()> f;
    ~scope_exit() { f(); }
};

// The deadline for reading one request. beast::tcp_stream's own expiry closes the socket when it
// fires, which leaves no way to tell the client why (the 408 was never sent). This one cancels
// the pending read instead, so the session can still answer. Shared with the timer's handler,
// which may run after the session is gone (a fired wait queued while the read completed).
struct read_deadline {
    explicit read_deadline(const asio::any_io_executor& ex) : timer(ex) {}
    asio::steady_timer timer;
    bool armed = false;
    bool fired = false;
    std::uint64_t generation = 0; // a wait that fired for an earlier request must not cut this one

    static void arm(const std::shared_ptr<read_deadline>& d,
                    beast::tcp_stream& stream,
                    std::chrono::steady_clock::time_point when) {
        d->armed = true;
        d->fired = false;
        const auto gen = ++d->generation;
        d->timer.expires_at(when);
        // `stream` outlives every handler that finds the deadline still armed: the session
        // disarms it before the stream goes away (same thread, no interleaving).
        d->timer.async_wait([d, &stream, gen](error_code ec) {
            if (ec || !d->armed || gen != d->generation) return;
            d->fired = true;
            d->armed = false;
            stream.socket().cancel(ec);
        });
    }
    void disarm() {
        armed = false;
        timer.cancel();
    }
};

std::string_view reason_code(int status) {
    switch (status) {
    case 400:
        return "bad_request";
    case 408:
        return "request_timeout";
    case 413:
        return "body_too_large";
    case 431:
        return "headers_too_large";
    default:
        return "error";
    }
}
} // namespace

struct server::impl : std::enable_shared_from_this<impl> {
    http_limits limits;
    const router& routes;
    metrics& stats;
    std::vector<asio::io_context*> shards;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::vector<std::unordered_set<beast::tcp_stream*>> idle; // per shard, touched on its thread
    std::map<std::string, std::size_t, std::less<>> body_limits;
    std::size_t max_body_limit = 0;
    std::atomic<bool> draining{false};
    std::atomic<std::size_t>* connections = nullptr;
    std::atomic<std::size_t>* in_flight = nullptr;
    address_slots per_address;

    impl(const http_limits& l, const router& r, metrics& m, std::vector<asio::io_context*> s)
        : limits(l), routes(r), stats(m), shards(std::move(s)), idle(shards.size()),
          max_body_limit(l.body_limit),
          per_address(static_cast<std::size_t>(l.max_connections_per_address), l.trusted_proxies) {}

    static void on_spawn_done(std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log::error(std::string("event=session_exception what=\"") + ex.what() + "\"");
        }
    }

    asio::awaitable<void> accept_loop(std::size_t i) {
        auto self = shared_from_this();
        auto& acceptor = *acceptors[i];
        auto ex = co_await asio::this_coro::executor;
        while (acceptor.is_open()) {
            error_code ec;
            tcp::socket sock =
                co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                if (!acceptor.is_open() || ec == asio::error::operation_aborted) break;
                // Out of file descriptors or similar: breathe instead of spinning.
                log::warn("event=accept_failed error=\"" + ec.message() + "\"");
                asio::steady_timer t(ex, std::chrono::milliseconds(50));
                co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            std::string remote;
            if (auto ep = sock.remote_endpoint(ec); !ec) remote = ep.address().to_string();
            // One address's flood is refused first, so it cannot push out anyone else.
            auto slot = per_address.take(remote);
            if (!slot) {
                stats.count("daiban_http_rejected_connections_total");
                asio::co_spawn(
                    ex,
                    reject_overloaded(std::move(sock), "too_many_connections_from_address",
                                      "this address holds " +
                                          std::to_string(limits.max_connections_per_address) +
                                          " connections, the most one client may "
                                          "(http.max_connections_per_address); reuse them"),
                    on_spawn_done);
                continue;
            }
            if (connections->load(std::memory_order_relaxed) >=
                static_cast<std::size_t>(limits.max_connections)) {
                // Full: a connection waiting idle for its next request makes room (its client
                // reconnects when it has something to send); with none idle, refuse.
                if (!idle[i].empty()) {
                    auto victim = idle[i].begin();
                    (*victim)->socket().cancel(ec);
                    idle[i].erase(victim);
                    stats.count("daiban_http_idle_evictions_total");
                } else {
                    stats.count("daiban_http_rejected_connections_total");
                    asio::co_spawn(ex,
                                   reject_overloaded(std::move(sock), "too_many_connections",
                                                     "the server is at its connection limit; "
                                                     "retry shortly"),
                                   on_spawn_done);
                    continue;
                }
            }
            asio::co_spawn(ex, session(i, std::move(sock), std::move(remote), std::move(*slot)),
                           on_spawn_done);
        }
    }

    asio::awaitable<void>
    reject_overloaded(tcp::socket sock, std::string code, std::string detail) {
        beast::tcp_stream stream(std::move(sock));
        bhttp::response<bhttp::string_body> res{bhttp::status::service_unavailable, 11};
        res.set(bhttp::field::content_type, "application/json");
        res.set(bhttp::field::retry_after, "1");
        res.body() = json_error(503, code, detail).body;
        res.keep_alive(false);
        res.prepare_payload();
        stream.expires_after(std::chrono::seconds(2));
        error_code ec;
        co_await bhttp::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    }

    static bhttp::response<bhttp::string_body>
    to_beast(response& r, unsigned version, bool keep_alive) {
        bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
        out.set(bhttp::field::server, "daiban");
        if (!r.body.empty() || r.status >= 400) out.set(bhttp::field::content_type, r.content_type);
        for (auto& [k, v] : r.headers)
            out.set(k, v);
        out.body() = std::move(r.body);
        out.keep_alive(keep_alive);
        out.prepare_payload();
        return out;
    }

    // At most this much of a refused request is read and dropped before the connection closes.
    static constexpr std::size_t linger_max_bytes = 16u << 20;

    // Answers an error that ends the connection (413, 431, 400, 408), best effort.
    asio::awaitable<void>
    fail_and_close(beast::tcp_stream& stream, int status, std::string detail) {
        auto r = json_error(status, reason_code(status), detail);
        auto out = to_beast(r, 11, false);
        stream.expires_after(std::chrono::milliseconds(limits.write_timeout_ms));
        error_code ec;
        co_await bhttp::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
        stats.record_request("unmatched", status, 0);
        if (ec) co_return;
        // Lingering close (as nginx does): a client still sending the body it was refused for
        // would get a reset instead of this answer if we closed with its bytes unread. Say we are
        // done, then read and drop what still comes, for a short while and a bounded amount.
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.expires_after(std::chrono::seconds(2));
        std::array<char, 16 * 1024> sink;
        std::size_t dropped = 0;
        while (dropped < linger_max_bytes) {
            const std::size_t n = co_await stream.async_read_some(
                asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) break;
            dropped += n;
        }
    }

    asio::awaitable<void> session(std::size_t shard_index,
                                  tcp::socket sock,
                                  std::string remote,
                                  address_slots::slot address_slot) {
        auto self = shared_from_this();
        connections->fetch_add(1, std::memory_order_relaxed);
        scope_exit count_down{[this] { connections->fetch_sub(1, std::memory_order_relaxed); }};
        (void)address_slot; // held for the connection's life
        error_code ec;
        sock.set_option(tcp::no_delay(true), ec);
        beast::tcp_stream stream(std::move(sock));
        beast::flat_buffer buffer;
        auto& idle_set = idle[shard_index];
        auto deadline = std::make_shared<read_deadline>(stream.get_executor());
        scope_exit disarm{[deadline] { deadline->disarm(); }};

        for (;;) {
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
            // The real limit depends on the route, known only after the header: until then allow
            // the largest any route accepts (Beast checks Content-Length while parsing the header).
            parser.body_limit(max_body_limit);

            // Waiting for the next request (idle_timeout_ms): drain() may close us here, and a
            // full server may evict us. Nothing has been asked, so nothing is answered.
            if (draining.load(std::memory_order_relaxed)) break;
            if (buffer.size() == 0) {
                idle_set.insert(&stream);
                stream.expires_after(std::chrono::milliseconds(limits.idle_timeout_ms));
                const std::size_t got = co_await stream.async_read_some(
                    buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
                idle_set.erase(&stream);
                if (ec) break;
                buffer.commit(got);
            }
            // From its first byte a request has read_timeout_ms to arrive whole, header and body:
            // a header dribbled in a byte at a time is cut off then, not at the idle timeout.
            stream.expires_never();
            read_deadline::arm(deadline, stream,
                               std::chrono::steady_clock::now() +
                                   std::chrono::milliseconds(limits.read_timeout_ms));
            co_await bhttp::async_read_header(stream, buffer, parser,
                                              asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                const bool timed_out = deadline->fired;
                deadline->disarm();
                if (timed_out) {
                    co_await fail_and_close(stream, 408,
                                            "the request header did not arrive within " +
                                                std::to_string(limits.read_timeout_ms) + " ms");
                    break;
                }
                if (ec == bhttp::error::body_limit)
                    co_await fail_and_close(stream, 413,
                                            "the body is larger than this server accepts");
                else if (ec == bhttp::error::header_limit)
                    co_await fail_and_close(stream, 431,
                                            "request headers are larger than " +
                                                std::to_string(limits.header_limit) + " bytes");
                else if (ec != bhttp::error::end_of_stream && ec != beast::error::timeout &&
                         ec != asio::error::operation_aborted && ec != asio::error::eof &&
                         ec != asio::error::connection_reset && buffer.size() > 0)
                    co_await fail_and_close(stream, 400, "malformed HTTP request: " + ec.message());
                break;
            }

            in_flight->fetch_add(1, std::memory_order_relaxed);
            scope_exit done{[this] { in_flight->fetch_sub(1, std::memory_order_relaxed); }};
            const auto started = std::chrono::steady_clock::now();
            auto& head = parser.get();
            const std::string target(head.target());
            const std::string method(head.method_string());
            const auto q = target.find('?');
            auto match = routes.match(method, std::string_view(target).substr(0, q));

            // The body limit depends on the route (inline photos on the JSON hook).
            std::size_t limit = limits.body_limit;
            if (auto it = body_limits.find(match.route); it != body_limits.end())
                limit = it->second;
            parser.body_limit(limit);
            if (parser.content_length() && *parser.content_length() > limit) {
                co_await fail_and_close(
                    stream, 413, "the body is larger than " + std::to_string(limit) + " bytes");
                break;
            }
            if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
                stream.expires_after(std::chrono::milliseconds(limits.write_timeout_ms));
                co_await bhttp::async_write(stream, cont,
                                            asio::redirect_error(asio::use_awaitable, ec));
                if (ec) break;
            }
            stream.expires_never(); // the request's deadline (above) still runs
            co_await bhttp::async_read(stream, buffer, parser,
                                       asio::redirect_error(asio::use_awaitable, ec));
            const bool body_timed_out = ec && deadline->fired;
            deadline->disarm();
            if (ec) {
                if (ec == bhttp::error::body_limit)
                    co_await fail_and_close(
                        stream, 413, "the body is larger than " + std::to_string(limit) + " bytes");
                else if (body_timed_out)
                    co_await fail_and_close(stream, 408,
                                            "the request body did not arrive within " +
                                                std::to_string(limits.read_timeout_ms) +
                                                " ms (fewer bytes than Content-Length)");
                else if (ec != bhttp::error::end_of_stream && ec != asio::error::eof)
                    co_await fail_and_close(stream, 400, "malformed HTTP request: " + ec.message());
                break;
            }

            auto msg = parser.release();
            request req;
            req.method = method;
            req.target = target;
            req.remote = remote;
            req.headers.reserve(8);
            for (const auto& f : msg) {
                std::string name(f.name_string());
                for (auto& c : name)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                req.headers.emplace_back(std::move(name), std::string(f.value()));
            }
            req.body = std::move(msg.body());

            response res;
            if (!match.handler) {
                if (match.status == 405) {
                    res = json_error(405, "method_not_allowed",
                                     method + " is not allowed here; use " + match.allow);
                    res.headers.emplace_back("Allow", match.allow);
                } else {
                    res = json_error(404, "not_found", "no route for " + std::string(req.path()));
                }
            } else {
                try {
                    res = co_await (*match.handler)(req, match.params);
                } catch (const std::exception& e) {
                    // Last resort per request: log the detail, tell the sender nothing internal.
                    log::error(std::string("event=request_exception route=") + match.route +
                               " what=\"" + e.what() + "\"");
                    res = json_error(500, "internal",
                                     "internal error; the request was not processed");
                }
            }
            const bool keep_alive = msg.keep_alive() && !draining.load(std::memory_order_relaxed);
            const bool head_only = msg.method() == bhttp::verb::head;
            const int status = res.status;
            std::string note = std::move(res.log_note);
            auto out = to_beast(res, msg.version(), keep_alive);
            // The line is written before the answer is sent: a client that got its answer finds
            // the request in the log even if the process is killed right after (lines are
            // unbuffered, bot/log.cpp). `ms` is the time to the answer, without sending it.
            if (log::enabled(log::level::info) && match.route != "/metrics" &&
                match.route != "/healthz" && match.route != "/readyz") {
                const double handled_s =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
                        .count();
                char ms[32];
                std::snprintf(ms, sizeof ms, "%.2f", handled_s * 1000);
                log::info("event=request method=" + method +
                          " route=" + (match.route.empty() ? "-" : match.route) + " status=" +
                          std::to_string(status) + " ms=" + ms + (note.empty() ? "" : " " + note));
            }
            stream.expires_after(std::chrono::milliseconds(limits.write_timeout_ms));
            if (head_only) {
                bhttp::response_serializer<bhttp::string_body> sr{out};
                co_await bhttp::async_write_header(stream, sr,
                                                   asio::redirect_error(asio::use_awaitable, ec));
            } else {
                co_await bhttp::async_write(stream, out,
                                            asio::redirect_error(asio::use_awaitable, ec));
            }
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            stats.record_request(match.route.empty() ? "unmatched" : match.route, status, seconds);
            if (ec || !keep_alive) break;
        }
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
};

server::server(const http_limits& limits,
               const router& routes,
               metrics& m,
               std::vector<asio::io_context*> shards)
    : impl_(std::make_shared<impl>(limits, routes, m, std::move(shards))) {
    impl_->connections = &connections_;
    impl_->in_flight = &in_flight_;
}

server::~server() = default;

void server::set_route_body_limit(std::string route_pattern, std::size_t limit) {
    impl_->body_limits[std::move(route_pattern)] = limit;
    impl_->max_body_limit = std::max(impl_->max_body_limit, limit);
}

unsigned short server::listen(const tcp::endpoint& endpoint) {
    auto ep = endpoint;
    for (auto* ioc : impl_->shards) {
        auto acc = std::make_unique<tcp::acceptor>(*ioc);
        acc->open(ep.protocol());
        acc->set_option(asio::socket_base::reuse_address(true));
        acc->set_option(reuse_port(true));
        error_code ec;
        acc->bind(ep, ec);
        if (ec)
            throw std::system_error(ec, "cannot listen on " + ep.address().to_string() + ":" +
                                            std::to_string(ep.port()) +
                                            " (set DAIBAN_LISTEN or \"listen\" to a free address)");
        acc->listen(asio::socket_base::max_listen_connections);
        ep = acc->local_endpoint(); // with port 0, the other shards join the port the first got
        impl_->acceptors.push_back(std::move(acc));
    }
    return ep.port();
}

void server::start() {
    for (std::size_t i = 0; i < impl_->acceptors.size(); ++i)
        asio::co_spawn(*impl_->shards[i], impl_->accept_loop(i), &impl::on_spawn_done);
}

void server::drain() {
    impl_->draining.store(true);
    for (std::size_t i = 0; i < impl_->shards.size(); ++i) {
        asio::post(*impl_->shards[i], [self = impl_, i] {
            error_code ec;
            if (i < self->acceptors.size()) self->acceptors[i]->close(ec);
            // Reads waiting for a next request are cancelled; busy connections close after their
            // response (keep-alive is off while draining). Cancel, not close: a read that has
            // already completed (its resumption still queued) is not undone by cancel, so that
            // request is handled and answered; closing the socket here would let it be handled
            // and recorded with no way left to send the answer.
            for (auto* s : self->idle[i])
                s->socket().cancel(ec);
            self->idle[i].clear();
        });
    }
}

} // namespace daiban::bot::http
