// state layer, Redis: the connection (see connection.hpp for the contract).
#include "state/redis/connection.hpp"

#include "state/redis/cluster.hpp"

#include <boost/asio.hpp>
#include <boost/asio/any_completion_handler.hpp>
#include <hiredis/hiredis.h>

#include <charconv>
#include <deque>

namespace daiban::state::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using clock = std::chrono::steady_clock;

namespace {

using host_list = std::vector<std::pair<std::string, std::string>>;

// "h1:26379,h2" into (host, port) pairs, `default_port` where none is given; false with `error`
// naming the bad entry (`what`: "sentinel", "cluster node").
bool parse_hosts(std::string_view hosts,
                 const char* default_port,
                 const char* what,
                 host_list& out,
                 std::string& error) {
    while (!hosts.empty()) {
        const auto comma = hosts.find(',');
        const auto one = hosts.substr(0, comma);
        hosts = comma == std::string_view::npos ? std::string_view{} : hosts.substr(comma + 1);
        if (one.empty()) continue;
        const auto colon = one.rfind(':');
        std::string host(one.substr(0, colon));
        std::string port =
            colon == std::string_view::npos ? default_port : std::string(one.substr(colon + 1));
        if (host.empty() || port.empty()) {
            error = std::string("each ") + what + " is HOST:PORT (got '" + std::string(one) + "')";
            return false;
        }
        out.emplace_back(std::move(host), std::move(port));
    }
    return true;
}

// "host1:7000,host2:7001" (a trailing "/0" is allowed: a cluster has only database 0)
std::optional<address> parse_cluster(std::string_view text, std::string& error) {
    address a;
    a.cluster = true;
    const auto slash = text.find('/');
    if (slash != std::string_view::npos && text.substr(slash) != "/0" &&
        text.substr(slash) != "/") {
        error = "a Redis Cluster has only database 0: cluster://HOST:7000,HOST:7001 (got '" +
                std::string(text.substr(slash)) + "' after the nodes)";
        return std::nullopt;
    }
    if (!parse_hosts(text.substr(0, slash), "6379", "cluster node", a.cluster_nodes, error))
        return std::nullopt;
    if (a.cluster_nodes.empty()) {
        error = "name at least one cluster node: cluster://HOST:7000,HOST:7001";
        return std::nullopt;
    }
    return a;
}

// "host1:26379,host2:26379/mymaster?db=0&password=P&sentinel_password=S"
std::optional<address> parse_sentinel(std::string_view text, std::string& error) {
    address a;
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        error = "a sentinel address names its master: sentinel://HOST:26379,HOST:26379/mymaster";
        return std::nullopt;
    }
    std::string_view hosts = text.substr(0, slash), rest = text.substr(slash + 1);
    if (!parse_hosts(hosts, "26379", "sentinel", a.sentinels, error)) return std::nullopt;
    if (a.sentinels.empty()) {
        error = "name at least one sentinel: sentinel://HOST:26379/mymaster";
        return std::nullopt;
    }
    const auto q = rest.find('?');
    a.master_name = std::string(rest.substr(0, q));
    if (a.master_name.empty()) {
        error = "name the master after the sentinels: sentinel://HOST:26379/mymaster";
        return std::nullopt;
    }
    std::string_view query = q == std::string_view::npos ? std::string_view{} : rest.substr(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto kv = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const auto eq = kv.find('=');
        const auto k = kv.substr(0, eq);
        const auto v = eq == std::string_view::npos ? std::string_view{} : kv.substr(eq + 1);
        if (k == "db") {
            const auto r = std::from_chars(v.data(), v.data() + v.size(), a.db);
            if (r.ec != std::errc{} || r.ptr != v.data() + v.size() || a.db < 0) {
                error = "the db in '?db=N' must be a non-negative number";
                return std::nullopt;
            }
        } else if (k == "password") {
            a.password = std::string(v);
        } else if (k == "sentinel_password") {
            a.sentinel_password = std::string(v);
        } else {
            error = "unknown sentinel option '" + std::string(k) +
                    "' (db, password, sentinel_password)";
            return std::nullopt;
        }
    }
    return a;
}

} // namespace

std::optional<address> parse_address(std::string_view text, std::string& error) {
    address a;
    auto parse_db = [&](std::string_view s) {
        if (s.empty()) return true;
        auto r = std::from_chars(s.data(), s.data() + s.size(), a.db);
        return r.ec == std::errc{} && r.ptr == s.data() + s.size() && a.db >= 0;
    };
    if (text.starts_with("unix://") || text.starts_with("unix:")) {
        text.remove_prefix(text.starts_with("unix://") ? 7 : 5);
        a.unix_socket = true;
        const auto q = text.find("?db=");
        a.host = std::string(text.substr(0, q));
        if (q != std::string_view::npos && !parse_db(text.substr(q + 4))) {
            error = "the db in '?db=N' must be a non-negative number";
            return std::nullopt;
        }
        if (a.host.empty() || a.host.front() != '/') {
            error = "a unix socket address needs an absolute path: unix:///var/run/redis.sock";
            return std::nullopt;
        }
        return a;
    }
    if (text.starts_with("sentinel://")) return parse_sentinel(text.substr(11), error);
    if (text.starts_with("cluster://")) return parse_cluster(text.substr(10), error);
    if (!text.starts_with("redis://")) {
        error = "use redis://HOST:PORT/DB, unix:///PATH, sentinel://HOST:PORT,.../MASTER or "
                "cluster://HOST:PORT,... (got '" +
                std::string(text) + "')";
        return std::nullopt;
    }
    text.remove_prefix(8);
    const auto slash = text.find('/');
    std::string_view hostport = text.substr(0, slash);
    if (slash != std::string_view::npos && !parse_db(text.substr(slash + 1))) {
        error = "the database after '/' must be a non-negative number";
        return std::nullopt;
    }
    if (hostport.starts_with('[')) { // [::1]:6379
        const auto close = hostport.find(']');
        if (close == std::string_view::npos) {
            error = "unclosed '[' in an IPv6 address";
            return std::nullopt;
        }
        a.host = std::string(hostport.substr(1, close - 1));
        hostport.remove_prefix(close + 1);
        a.port = hostport.starts_with(':') ? std::string(hostport.substr(1)) : "6379";
    } else {
        const auto colon = hostport.rfind(':');
        a.host = std::string(hostport.substr(0, colon));
        a.port = colon == std::string_view::npos ? "6379" : std::string(hostport.substr(colon + 1));
    }
    if (a.host.empty() || a.port.empty()) {
        error = "missing host or port in '" + std::string(text) + "'";
        return std::nullopt;
    }
    return a;
}

namespace {

value convert(const redisReply* r) {
    value v;
    switch (r->type) {
    case REDIS_REPLY_STRING:
        v.type = value::kind::string;
        v.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_STATUS:
        v.type = value::kind::status;
        v.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_ERROR:
        v.type = value::kind::error;
        v.str.assign(r->str, r->len);
        break;
    case REDIS_REPLY_INTEGER:
        v.type = value::kind::integer;
        v.integer = r->integer;
        break;
    case REDIS_REPLY_ARRAY:
        v.type = value::kind::array;
        v.elements.reserve(r->elements);
        for (std::size_t i = 0; i < r->elements; ++i)
            v.elements.push_back(convert(r->element[i]));
        break;
    default:
        break; // nil
    }
    return v;
}

// RESP request framing: *<argc>\r\n then $<len>\r\n<bytes>\r\n per argument. Written here
// rather than with redisFormatCommandArgv, which mallocs and sprintf()s every length; this runs
// for every command.
void append_count(std::string& out, char prefix, std::size_t n) {
    char buf[24];
    buf[0] = prefix;
    const auto end = std::to_chars(buf + 1, buf + sizeof buf - 2, n).ptr;
    end[0] = '\r';
    end[1] = '\n';
    out.append(buf, end + 2);
}

void append_command(std::string& out, const command& cmd) {
    std::size_t size = 16;
    for (const auto& a : cmd)
        size += a.size() + 16;
    out.reserve(out.size() + size);
    append_count(out, '*', cmd.size());
    for (const auto& a : cmd) {
        append_count(out, '$', a.size());
        out.append(a);
        out.append("\r\n", 2);
    }
}

using reply_handler = asio::any_completion_handler<void(error_code, std::vector<value>)>;

struct pending_request {
    std::size_t expected = 1;
    std::vector<value> replies;
    reply_handler handler; // empty for the connection's own PINGs and SELECT
    clock::time_point deadline;
};

} // namespace

struct connection::impl : std::enable_shared_from_this<impl> {
    asio::any_io_executor ex;
    config cfg;
    std::optional<address> addr;
    std::string addr_error;
    statistics stats;

    asio::generic::stream_protocol::socket socket;
    asio::steady_timer retry_timer;
    asio::steady_timer watchdog;
    std::deque<pending_request> pending;
    std::string out;     // commands waiting for the next write
    std::string writing; // the write in flight
    bool write_active = false;
    bool flush_scheduled = false;
    bool up = false;
    bool stopped = false;
    std::uint64_t generation = 0; // bumped on every reset, so late completions are ignored
    error_code reset_reason;
    error_code io_error;   // why the read loop ended, for the health report
    std::string master_at; // through Sentinel: the master last found, for the health report
    int reported = -1;     // last health told to cfg.on_health: -1 nothing yet, 0 down, 1 up
    clock::time_point last_activity = clock::now();
    redisReader* reader = nullptr;

    impl(asio::any_io_executor e, config c)
        : ex(e), cfg(std::move(c)), socket(e), retry_timer(e), watchdog(e) {
        addr = parse_address(cfg.address, addr_error);
        reader = redisReaderCreate();
        reader->maxbuf = 0; // we cap the size ourselves; 0 = never shrink below what is needed
    }
    ~impl() {
        if (reader) redisReaderFree(reader);
    }

    void complete(reply_handler h, error_code ec, std::vector<value> v) {
        if (!h) return;
        // Always post: completing inside the caller's initiation would re-enter it. Callers run
        // on this connection's executor (the shard), so that is where the handler goes.
        asio::post(ex, [h = std::move(h), ec, v = std::move(v)]() mutable {
            std::move(h)(ec, std::move(v));
        });
    }

    void submit(std::vector<command> cmds, reply_handler h) {
        stats.commands.fetch_add(cmds.size(), std::memory_order_relaxed);
        if (stopped || !up || cmds.empty()) {
            if (!stopped && !cmds.empty()) stats.errors.fetch_add(1, std::memory_order_relaxed);
            complete(std::move(h), stopped ? errc::redis_shutting_down : errc::redis_unavailable,
                     {});
            return;
        }
        for (const auto& c : cmds)
            append_command(out, c);
        pending.push_back({cmds.size(), {}, std::move(h), clock::now() + cfg.command_timeout});
        schedule_flush();
    }

    // Writes at the end of this event-loop turn rather than now, so the commands of every
    // coroutine that runs in this turn leave in one write (one syscall instead of one each).
    void schedule_flush() {
        if (flush_scheduled || write_active) return; // a running write flushes when it completes
        flush_scheduled = true;
        asio::post(ex, [self = shared_from_this()] {
            self->flush_scheduled = false;
            self->flush();
        });
    }

    void flush() {
        if (write_active || out.empty() || !up) return;
        write_active = true;
        writing.swap(out);
        out.clear();
        asio::async_write(
            socket, asio::buffer(writing),
            [self = shared_from_this(), gen = generation](error_code ec, std::size_t) {
                if (gen != self->generation) return; // the connection was reset
                self->write_active = false;
                self->writing.clear();
                if (ec) return self->reset(errc::redis_unavailable);
                self->flush();
            });
    }

    // Drops the connection: everything pending fails with `why`; the run loop reconnects.
    void reset(error_code why) {
        if (!up && !socket.is_open()) return;
        reset_reason = why;
        error_code ignored;
        socket.close(ignored); // wakes the read loop, which then calls went_down()
    }

    void report(bool now_up, const std::string& reason) {
        if (!cfg.on_health || stopped || reported == int(now_up)) return;
        reported = int(now_up);
        cfg.on_health(now_up, reason);
    }

    void went_down() {
        const bool was_up = up;
        up = false;
        write_active = false;
        ++generation;
        stats.connected.store(false, std::memory_order_relaxed);
        error_code ignored;
        socket.close(ignored);
        out.clear();
        writing.clear();
        const error_code why = stopped        ? error_code(errc::redis_shutting_down)
                               : reset_reason ? reset_reason
                                              : error_code(errc::redis_unavailable);
        reset_reason = {};
        auto failed = std::move(pending);
        pending.clear();
        if (!failed.empty()) stats.errors.fetch_add(failed.size(), std::memory_order_relaxed);
        for (auto& p : failed)
            complete(std::move(p.handler), why, {});
        redisReaderFree(reader);
        reader = redisReaderCreate();
        reader->maxbuf = 0;
        if (was_up && !stopped) {
            stats.reconnects.fetch_add(1, std::memory_order_relaxed);
            report(false, why == errc::redis_unavailable && io_error
                              ? "connection lost: " + io_error.message()
                              : why.message());
        }
        io_error = {};
    }

    // Connects `socket` to host:port over TCP (every address the name resolves to, in turn).
    asio::awaitable<error_code>
    connect_tcp(const std::string& host, const std::string& port, const bool& timed_out) {
        error_code ec;
        asio::ip::tcp::resolver resolver(ex);
        auto results = co_await resolver.async_resolve(
            host, port, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return ec;
        ec = asio::error::host_not_found;
        for (const auto& r : results) {
            if (timed_out) break;
            error_code ignored;
            socket.close(ignored);
            co_await socket.async_connect(asio::generic::stream_protocol::endpoint(r.endpoint()),
                                          asio::redirect_error(asio::use_awaitable, ec));
            if (!ec) {
                socket.set_option(asio::ip::tcp::no_delay(true), ignored);
                break;
            }
        }
        co_return ec;
    }

    // Sends `cmds` on the freshly connected socket and reads their replies, before the
    // connection is handed to the pipeline (AUTH, the sentinel's answer, ROLE).
    asio::awaitable<error_code> exchange(const std::vector<command>& cmds,
                                         std::vector<value>& replies) {
        std::string buf;
        for (const auto& c : cmds)
            append_command(buf, c);
        error_code ec;
        co_await asio::async_write(socket, asio::buffer(buf),
                                   asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return ec;
        redisReader* r = redisReaderCreate();
        std::vector<char> in(4096);
        while (replies.size() < cmds.size()) {
            const std::size_t n = co_await socket.async_read_some(
                asio::buffer(in), asio::redirect_error(asio::use_awaitable, ec));
            if (ec || redisReaderFeed(r, in.data(), n) != REDIS_OK) break;
            void* raw = nullptr;
            while (replies.size() < cmds.size() && redisReaderGetReply(r, &raw) == REDIS_OK &&
                   raw) {
                replies.push_back(convert(static_cast<redisReply*>(raw)));
                freeReplyObject(raw);
                raw = nullptr;
            }
        }
        redisReaderFree(r);
        if (!ec && replies.size() < cmds.size()) ec = make_error_code(errc::redis_protocol);
        co_return ec;
    }

    // Sentinel: asks each sentinel in turn for the master's address; the first answer wins.
    asio::awaitable<error_code>
    discover_master(std::string& host, std::string& port, const bool& timed_out) {
        error_code ec = make_error_code(errc::redis_unavailable);
        for (const auto& [s_host, s_port] : addr->sentinels) {
            if (timed_out) break;
            ec = co_await connect_tcp(s_host, s_port, timed_out);
            if (ec) continue;
            std::vector<command> ask;
            if (!addr->sentinel_password.empty()) ask.push_back({"AUTH", addr->sentinel_password});
            ask.push_back({"SENTINEL", "get-master-addr-by-name", addr->master_name});
            std::vector<value> got;
            ec = co_await exchange(ask, got);
            error_code ignored;
            socket.close(ignored);
            if (ec) continue;
            const auto& a = got.back();
            if (a.is_array() && a.elements.size() == 2) {
                host = a.elements[0].str;
                port = a.elements[1].str;
                co_return error_code{};
            }
            ec = make_error_code(errc::unexpected_reply); // this sentinel knows no such master
        }
        co_return ec;
    }

    asio::awaitable<error_code> connect_once() {
        error_code ec;
        if (!addr) co_return error_code(errc::redis_unavailable);
        asio::steady_timer deadline(ex);
        deadline.expires_after(cfg.connect_timeout);
        bool timed_out = false;
        deadline.async_wait([this, &timed_out](error_code e) {
            if (e) return;
            timed_out = true;
            error_code ignored;
            socket.close(ignored);
        });
        if (addr->unix_socket) {
            asio::local::stream_protocol::endpoint ep(addr->host);
            co_await socket.async_connect(asio::generic::stream_protocol::endpoint(ep),
                                          asio::redirect_error(asio::use_awaitable, ec));
        } else if (addr->sentinels.empty()) {
            ec = co_await connect_tcp(addr->host, addr->port, timed_out);
        } else {
            std::string host, port;
            ec = co_await discover_master(host, port, timed_out);
            if (!ec) ec = co_await connect_tcp(host, port, timed_out);
            master_at = host + ":" + port;
        }
        // Before the pipeline starts: the password, and — through Sentinel — that the node is
        // the master still (a sentinel may answer with the old one for a moment after a
        // failover; writing to a replica would fail every command).
        if (!ec && (!addr->password.empty() || !addr->sentinels.empty())) {
            std::vector<command> hello;
            if (!addr->password.empty()) hello.push_back({"AUTH", addr->password});
            if (!addr->sentinels.empty()) hello.push_back({"ROLE"});
            std::vector<value> got;
            ec = co_await exchange(hello, got);
            if (!ec && !addr->password.empty() && got.front().is_error())
                ec = make_error_code(errc::redis_error_reply);
            if (!ec && !addr->sentinels.empty()) {
                const auto& role = got.back();
                if (!role.is_array() || role.elements.empty() || role.elements[0].str != "master")
                    ec = make_error_code(errc::unexpected_reply);
            }
        }
        deadline.cancel();
        if (timed_out) ec = asio::error::timed_out;
        co_return ec;
    }

    asio::awaitable<void> read_loop() {
        std::vector<char> buf(64 * 1024);
        for (;;) {
            error_code ec;
            const std::size_t n = co_await socket.async_read_some(
                asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                io_error = ec;
                co_return;
            }
            last_activity = clock::now();
            if (redisReaderFeed(reader, buf.data(), n) != REDIS_OK)
                co_return reset(errc::redis_protocol);
            for (;;) {
                void* raw = nullptr;
                if (redisReaderGetReply(reader, &raw) != REDIS_OK)
                    co_return reset(errc::redis_protocol);
                if (!raw) break;
                value v = convert(static_cast<redisReply*>(raw));
                freeReplyObject(raw);
                if (pending.empty())
                    co_return reset(errc::redis_protocol); // a reply nobody asked for
                auto& front = pending.front();
                front.replies.push_back(std::move(v));
                if (front.replies.size() == front.expected) {
                    auto done = std::move(front);
                    pending.pop_front();
                    // Completed here, not posted: this loop runs on the executor every caller
                    // awaits on (the shard), and is no caller's initiation, so there is nothing
                    // to re-enter — the waiter resumes at once, without a trip through the
                    // scheduler per reply. (A stop() or reset() it makes only closes the socket;
                    // the reader and `pending` stay valid until this loop has returned.)
                    if (done.handler)
                        std::move(done.handler)(error_code{}, std::move(done.replies));
                }
            }
            // hiredis keeps unparsed bytes; a reply bigger than the cap is an attack or a bug.
            if (reader->len > cfg.max_read_buffer) co_return reset(errc::redis_protocol);
        }
    }

    asio::awaitable<void> run() {
        auto self = shared_from_this();
        auto backoff = cfg.reconnect_min;
        while (!stopped) {
            const error_code ec = co_await connect_once();
            if (!ec && !stopped) {
                up = true;
                last_activity = clock::now();
                backoff = cfg.reconnect_min;
                if (addr->db != 0) {
                    append_command(out, {"SELECT", std::to_string(addr->db)});
                    pending.push_back({1, {}, {}, clock::now() + cfg.command_timeout});
                }
                // Told before the flag is set: whoever sees the connection ready sees it logged.
                report(true, "");
                stats.connected.store(true, std::memory_order_relaxed);
                flush();
                co_await read_loop();
            } else if (!stopped) {
                report(false, "cannot connect to " + cfg.address +
                                  (master_at.empty() ? "" : " (master " + master_at + ")") + ": " +
                                  (addr ? ec.message() : addr_error));
            }
            went_down();
            if (stopped) break;
            retry_timer.expires_after(backoff);
            error_code ignored;
            co_await retry_timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            backoff = std::min(backoff * 2, cfg.reconnect_max);
        }
    }

    // Notices commands that never got an answer, and probes idle connections with PING.
    asio::awaitable<void> watch() {
        auto self = shared_from_this();
        const auto tick = std::max(std::chrono::milliseconds(20), cfg.command_timeout / 10);
        while (!stopped) {
            watchdog.expires_after(tick);
            error_code ec;
            co_await watchdog.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (stopped) break;
            if (!up) continue;
            const auto now = clock::now();
            if (!pending.empty() && now > pending.front().deadline) {
                reset(errc::redis_timeout);
            } else if (pending.empty() && now - last_activity > cfg.health_check_interval) {
                last_activity = now;
                append_command(out, {"PING"});
                pending.push_back({1, {}, {}, now + cfg.command_timeout});
                flush();
            }
        }
    }
};

connection::connection(asio::any_io_executor ex, config cfg)
    : impl_(std::make_shared<impl>(ex, std::move(cfg))) {
    if (impl_->addr && impl_->addr->cluster)
        cluster_ = std::make_shared<cluster_router>(ex, impl_->cfg, *impl_->addr);
}

connection::~connection() {
    stop();
}

bool connection::connected() const {
    if (cluster_) return cluster_->connected();
    return impl_->stats.connected.load(std::memory_order_relaxed);
}
const statistics& connection::stats() const {
    return cluster_ ? cluster_->stats() : impl_->stats;
}

void connection::start() {
    if (cluster_) return cluster_->start();
    auto i = impl_;
    auto on_done = [](std::exception_ptr) {}; // the loops catch nothing: they use error codes
    asio::co_spawn(i->ex, i->run(), on_done);
    asio::co_spawn(i->ex, i->watch(), on_done);
}

void connection::stop() {
    if (cluster_) cluster_->stop();
    auto& i = *impl_;
    if (i.stopped) return;
    i.stopped = true;
    i.retry_timer.cancel();
    i.watchdog.cancel();
    error_code ignored;
    i.socket.close(ignored);
    if (!i.up) i.went_down(); // nothing reads the socket: fail what is pending here
}

namespace {
// Not a coroutine: returns the awaitable that async_initiate makes, so the commands live in the
// initiation's own storage and no coroutine frame holds a by-value copy of them (GCC 12 has had
// bugs destroying such parameters twice).
auto async_exec(std::shared_ptr<connection::impl> i, std::vector<command>&& cmds) {
    return asio::async_initiate<const asio::as_tuple_t<asio::use_awaitable_t<>>,
                                void(error_code, std::vector<value>)>(
        [i](auto h, std::vector<command> c) {
            i->submit(std::move(c), reply_handler(std::move(h)));
        },
        asio::as_tuple(asio::use_awaitable), std::move(cmds));
}
} // namespace

asio::awaitable<boost::system::result<std::vector<value>>>
connection::exec_many(std::vector<command> cmds) {
    if (cluster_) {
        auto routed = co_await cluster_->exec_many(std::move(cmds));
        co_return routed;
    }
    auto [ec, replies] = co_await async_exec(impl_, std::move(cmds));
    if (ec) co_return ec;
    co_return std::move(replies);
}

asio::awaitable<boost::system::result<std::vector<value>>>
connection::exec_durable(std::vector<command> cmds) {
    const int wanted = impl_->cfg.wait_replicas;
    if (wanted > 0) {
        // In the same write, so it waits for exactly what came before it on this connection:
        // the turn just recorded and every write of it (WAIT blocks this connection meanwhile;
        // its cost is measured in the README).
        cmds.push_back(
            {"WAIT", std::to_string(wanted), std::to_string(impl_->cfg.wait_timeout.count())});
    }
    auto r = co_await exec_many(std::move(cmds));
    if (!r || wanted <= 0) co_return r;
    const value acked = std::move(r->back());
    r->pop_back();
    if (!acked.as_integer() || acked.integer < wanted) co_return errc::redis_not_replicated;
    co_return r;
}

asio::awaitable<boost::system::result<value>> connection::exec(command cmd) {
    std::vector<command> one;
    one.push_back(std::move(cmd));
    auto r = co_await exec_many(std::move(one));
    if (!r) co_return r.error();
    co_return std::move(r->front());
}

asio::awaitable<boost::system::result<value>>
connection::eval(const script& s, std::vector<std::string> keys, std::vector<std::string> args) {
    command cmd;
    cmd.reserve(3 + keys.size() + args.size());
    cmd.push_back("EVALSHA");
    cmd.push_back(s.sha1);
    cmd.push_back(std::to_string(keys.size()));
    for (auto& k : keys)
        cmd.push_back(std::move(k));
    for (auto& a : args)
        cmd.push_back(std::move(a));
    auto r = co_await exec(cmd);
    if (r && r->is_error() && r->str.starts_with("NOSCRIPT")) {
        // First use on this server (or it restarted): EVAL sends the body and caches it.
        cmd[0] = "EVAL";
        cmd[1] = std::string(s.source);
        r = co_await exec(std::move(cmd));
    }
    co_return r;
}

} // namespace daiban::state::redis
