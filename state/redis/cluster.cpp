// state layer, Redis: Redis Cluster routing (see cluster.hpp).
#include "state/redis/cluster.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <charconv>
#include <numeric>

namespace daiban::state::redis {

namespace asio = boost::asio;
using boost::system::error_code;
using boost::system::result;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

bool is_transaction(const std::vector<command>& cmds) {
    return !cmds.empty() && !cmds.front().empty() && iequals(cmds.front().front(), "MULTI");
}

// How often a call is sent again after a redirection or TRYAGAIN before it gives up.
constexpr int max_attempts = 8;

} // namespace

std::uint16_t key_slot(std::string_view key) {
    if (const auto open = key.find('{'); open != std::string_view::npos) {
        const auto close = key.find('}', open + 1);
        if (close != std::string_view::npos && close > open + 1)
            key = key.substr(open + 1, close - open - 1);
    }
    // CRC16-CCITT (XMODEM: polynomial 0x1021, initial 0), bit by bit: keys are short, and the
    // tag ("demo") shorter still.
    std::uint16_t crc = 0;
    for (const unsigned char c : key) {
        crc ^= static_cast<std::uint16_t>(c << 8);
        for (int i = 0; i < 8; ++i)
            crc = (crc & 0x8000) ? static_cast<std::uint16_t>((crc << 1) ^ 0x1021)
                                 : static_cast<std::uint16_t>(crc << 1);
    }
    return crc % cluster_slots;
}

std::optional<std::string_view> routing_key(const command& c) {
    if (c.size() < 2) return std::nullopt;
    const std::string_view name = c[0];
    if (iequals(name, "EVAL") || iequals(name, "EVALSHA") || iequals(name, "EVAL_RO") ||
        iequals(name, "EVALSHA_RO") || iequals(name, "FCALL")) {
        if (c.size() < 4 || c[2] == "0") return std::nullopt;
        return c[3];
    }
    if (iequals(name, "XREAD") || iequals(name, "XREADGROUP")) {
        for (std::size_t i = 1; i + 1 < c.size(); ++i)
            if (iequals(c[i], "STREAMS")) return c[i + 1];
        return std::nullopt;
    }
    static constexpr std::string_view keyless[] = {
        "PING",    "MULTI",   "EXEC",  "DISCARD", "WAIT",    "SCRIPT",  "INFO",    "ASKING",
        "CLUSTER", "ROLE",    "AUTH",  "SELECT",  "TIME",    "DBSIZE",  "CLIENT",  "ECHO",
        "CONFIG",  "COMMAND", "HELLO", "QUIT",    "PUBLISH", "FLUSHDB", "FLUSHALL"};
    for (const auto k : keyless)
        if (iequals(name, k)) return std::nullopt;
    return c[1];
}

std::optional<redirect> parse_redirect(const value& reply) {
    if (!reply.is_error()) return std::nullopt;
    redirect r;
    std::string_view s = reply.str;
    if (s.starts_with("MOVED ")) {
        s.remove_prefix(6);
    } else if (s.starts_with("ASK ")) {
        r.ask = true;
        s.remove_prefix(4);
    } else {
        return std::nullopt;
    }
    const auto space = s.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    unsigned slot = 0;
    const auto got = std::from_chars(s.data(), s.data() + space, slot);
    if (got.ec != std::errc{} || got.ptr != s.data() + space || slot >= cluster_slots)
        return std::nullopt;
    r.slot = static_cast<std::uint16_t>(slot);
    const auto endpoint = s.substr(space + 1);
    const auto colon = endpoint.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == endpoint.size()) return std::nullopt;
    r.host = std::string(endpoint.substr(0, colon));
    r.port = std::string(endpoint.substr(colon + 1));
    return r;
}

cluster_router::cluster_router(asio::any_io_executor ex, config cfg, address addr)
    : ex_(ex), cfg_(std::move(cfg)), addr_(std::move(addr)), refresh_timer_(ex) {}

cluster_router::~cluster_router() {
    stop();
}

void cluster_router::start() {
    for (const auto& [host, port] : addr_.cluster_nodes)
        node_at(host, port);
    asio::co_spawn(ex_, refresh_loop(), asio::detached);
}

void cluster_router::stop() {
    if (stopped_) return;
    stopped_ = true;
    refresh_timer_.cancel();
    for (auto& [name, n] : nodes_)
        n.conn->stop();
}

bool cluster_router::connected() const {
    return stats_.connected.load(std::memory_order_relaxed);
}

const statistics& cluster_router::stats() const {
    return stats_;
}

cluster_router::node& cluster_router::node_at(const std::string& host, const std::string& port) {
    const std::string name = host + ":" + port;
    auto [it, fresh] = nodes_.try_emplace(name);
    node& n = it->second;
    if (!fresh) return n;
    n.host = host;
    n.port = port;
    config c = cfg_;
    c.address = "redis://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                port + "/0";
    c.on_health = [weak = weak_from_this(), name](bool up, const std::string& why) {
        if (auto self = weak.lock()) self->node_health(name, up, why);
    };
    n.conn = std::make_unique<connection>(ex_, std::move(c));
    if (!stopped_) n.conn->start();
    return n;
}

cluster_router::node* cluster_router::any_node() {
    for (auto& [name, n] : nodes_)
        if (n.up) return &n;
    return nullptr;
}

void cluster_router::request_refresh() {
    if (refresh_wanted_ || stopped_) return;
    refresh_wanted_ = true;
    refresh_timer_.cancel();
}

void cluster_router::node_health(const std::string& name, bool up, const std::string& reason) {
    auto it = nodes_.find(name);
    if (it == nodes_.end()) return;
    node& n = it->second;
    if (n.up && !up) stats_.reconnects.fetch_add(1, std::memory_order_relaxed);
    n.up = up;
    if (!up) {
        // A master gone may be a failover: its replica will serve the slots under another name.
        request_refresh();
    } else if (refresh_wanted_) {
        refresh_timer_.cancel(); // a node to ask has come up: ask now, not after the backoff
    }
    report(up ? "" : "node " + name + ": " + reason);
}

// Up when every slot has a master and every one of them is connected; told once per change,
// down with `why`.
void cluster_router::report(const std::string& why) {
    if (stopped_) return;
    bool ok = true;
    for (const node* n : slots_)
        if (!n || !n->up) {
            ok = false;
            break;
        }
    if (reported_ == int(ok)) return;
    // A node up while the map is not complete yet: nothing to tell (the start is not an outage).
    if (!ok && why.empty()) return;
    reported_ = int(ok);
    stats_.connected.store(ok, std::memory_order_relaxed);
    if (cfg_.on_health) cfg_.on_health(ok, ok ? "" : why);
}

asio::awaitable<void> cluster_router::refresh_loop() {
    auto self = shared_from_this();
    auto backoff = cfg_.reconnect_min;
    while (!stopped_) {
        if (refresh_wanted_) {
            const bool loaded = co_await load_slots();
            if (loaded) {
                refresh_wanted_ = false;
                backoff = cfg_.reconnect_min;
                report("not every cluster slot has a reachable master");
            }
        }
        if (stopped_) break;
        if (refresh_wanted_) {
            refresh_timer_.expires_after(backoff);
            backoff = std::min(backoff * 2, cfg_.reconnect_max);
        } else {
            refresh_timer_.expires_after(std::chrono::seconds(30));
        }
        error_code ec;
        co_await refresh_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        if (!ec) refresh_wanted_ = true; // ran out rather than woken: the periodic look
    }
}

asio::awaitable<bool> cluster_router::load_slots() {
    // Collected first: the map may grow while a node is being asked.
    std::vector<node*> ask;
    for (auto& [name, n] : nodes_)
        if (n.up) ask.push_back(&n);
    for (node* n : ask) {
        command slots{"CLUSTER", "SLOTS"};
        auto r = co_await n->conn->exec(std::move(slots));
        if (stopped_) co_return false;
        if (r && r->is_array() && apply_slots(*r, *n)) co_return true;
    }
    co_return false;
}

// CLUSTER SLOTS: [[start, end, [host, port, id, ...], replica...], ...].
bool cluster_router::apply_slots(const value& reply, const node& asked) {
    std::array<node*, cluster_slots> fresh{};
    bool any = false;
    for (const auto& range : reply.elements) {
        if (!range.is_array() || range.elements.size() < 3) continue;
        const auto& master = range.elements[2];
        if (!master.is_array() || master.elements.size() < 2) continue;
        const auto first = range.elements[0].integer, last = range.elements[1].integer;
        if (first < 0 || last >= std::int64_t(cluster_slots) || first > last) continue;
        std::string host = master.elements[0].str;
        if (host.empty() || host == "?") host = asked.host;
        node& n = node_at(host, std::to_string(master.elements[1].integer));
        for (auto s = first; s <= last; ++s)
            fresh[std::size_t(s)] = &n;
        any = true;
    }
    if (!any) return false;
    slots_ = fresh;
    return true;
}

asio::awaitable<result<std::vector<value>>>
cluster_router::send(node* to, std::vector<command> cmds, bool asking) {
    if (!asking) {
        auto r = co_await to->conn->exec_many(std::move(cmds));
        co_return r;
    }
    // ASKING lets the next command in on a slot being imported; in a transaction it holds until
    // EXEC, so one before MULTI is enough.
    const bool transaction = is_transaction(cmds);
    std::vector<command> framed;
    framed.reserve(cmds.size() * 2);
    for (std::size_t i = 0; i < cmds.size(); ++i) {
        if (!transaction || i == 0) framed.push_back({"ASKING"});
        framed.push_back(std::move(cmds[i]));
    }
    auto r = co_await to->conn->exec_many(std::move(framed));
    if (!r) co_return r.error();
    std::vector<value> replies;
    replies.reserve(cmds.size());
    for (std::size_t i = 0; i < r->size(); ++i) {
        const bool asking_reply = transaction ? i == 0 : i % 2 == 0;
        if (!asking_reply) replies.push_back(std::move((*r)[i]));
    }
    co_return replies;
}

asio::awaitable<result<std::vector<value>>> cluster_router::exec_many(std::vector<command> cmds) {
    auto self = shared_from_this();
    const bool transaction = is_transaction(cmds);
    std::optional<std::uint16_t> slot;
    bool split = false;
    for (const auto& c : cmds) {
        if (const auto k = routing_key(c)) {
            const auto s = key_slot(*k);
            if (!slot) slot = s;
            split = split || s != *slot;
        }
    }
    // A pipeline over several slots (the owner lease renews every tenant's key in one call):
    // each slot's commands go to their node, one group after the other.
    if (split && !transaction) {
        std::vector<value> replies(cmds.size());
        std::vector<bool> sent(cmds.size(), false);
        for (std::size_t first = 0; first < cmds.size(); ++first) {
            if (sent[first]) continue;
            const auto k = routing_key(cmds[first]);
            const std::optional<std::uint16_t> s =
                k ? std::optional<std::uint16_t>(key_slot(*k)) : slot;
            std::vector<std::size_t> group;
            std::vector<command> batch;
            for (std::size_t i = first; i < cmds.size(); ++i) {
                if (sent[i]) continue;
                const auto ki = routing_key(cmds[i]);
                if ((ki ? key_slot(*ki) : *slot) != *s) continue;
                group.push_back(i);
                batch.push_back(std::move(cmds[i]));
                sent[i] = true;
            }
            auto r = co_await exec_many(std::move(batch));
            if (!r) co_return r.error();
            for (std::size_t g = 0; g < group.size(); ++g)
                replies[group[g]] = std::move((*r)[g]);
        }
        co_return replies;
    }
    stats_.commands.fetch_add(cmds.size(), std::memory_order_relaxed);
    node* to = slot ? slots_[*slot] : any_node();
    std::vector<value> replies(cmds.size());
    std::vector<std::size_t> todo(cmds.size());
    std::iota(todo.begin(), todo.end(), std::size_t{0});
    bool asking = false;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        if (stopped_) co_return errc::redis_shutting_down;
        if (!to || !to->up) {
            request_refresh();
            stats_.errors.fetch_add(1, std::memory_order_relaxed);
            co_return errc::redis_unavailable;
        }
        std::vector<command> batch;
        batch.reserve(todo.size());
        for (const auto i : todo)
            batch.push_back(cmds[i]);
        auto r = co_await send(to, std::move(batch), asking);
        if (!r) {
            if (r.error() != errc::redis_shutting_down) request_refresh();
            co_return r.error();
        }
        // Replies that name another node, or ask to try again, are sent again; the rest stand.
        // (A pipeline's commands are single-key: during a migration some may be answered here
        // and the others at the importing node. A transaction is all or nothing.)
        std::vector<std::size_t> again;
        std::optional<redirect> where;
        bool try_again = false;
        for (std::size_t k = 0; k < todo.size(); ++k) {
            value& v = (*r)[k];
            if (auto rd = parse_redirect(v)) {
                again.push_back(todo[k]);
                if (!where) where = std::move(rd);
            } else if (v.is_error() && v.str.starts_with("TRYAGAIN")) {
                again.push_back(todo[k]);
                try_again = true;
            } else {
                replies[todo[k]] = std::move(v);
            }
        }
        if (again.empty()) co_return replies;
        if (!transaction) todo = std::move(again);
        if (where) {
            if (where->host.empty()) where->host = to->host;
            node& n = node_at(where->host, where->port);
            if (!where->ask) {
                slots_[where->slot] = &n;
                request_refresh(); // one slot moved: others may have too
            }
            asking = where->ask;
            to = &n;
        } else if (try_again) {
            // Keys of one call split between the two nodes of a migrating slot: a moment later
            // the migration has moved them all.
            asio::steady_timer pause(ex_);
            pause.expires_after(std::chrono::milliseconds(5 * (attempt + 1)));
            error_code ignored;
            co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
    }
    stats_.errors.fetch_add(1, std::memory_order_relaxed);
    co_return errc::redis_unavailable;
}

} // namespace daiban::state::redis
