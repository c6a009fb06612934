// state layer, Redis: Redis Cluster routing behind redis::connection (cluster://h1:7000,h2:7001).
//
// One pipelined node connection (a redis:// connection of its own) per master; each call goes to
// the master serving its key's slot. The slot map comes from CLUSTER SLOTS when the first node
// answers, is corrected slot by slot by every MOVED (and then asked again, at most once at a
// time), and is asked again every 30 s. ASK (a slot being migrated) is followed once, with
// ASKING, without touching the map; TRYAGAIN (a multi-key call whose keys are half migrated) is
// tried again a few times a few milliseconds apart, then fails as unavailable (the sender's
// retry). All of a tenant's keys carry its hash tag ({tenant}, state/keys.hpp), so a call — a
// pipeline, a MULTI/EXEC, a script — lives in one slot and goes to one node.
//
// The connection contract holds per call: while the slot's node is unreachable the call fails at
// once with redis_unavailable; the router never queues.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/steady_timer.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

namespace daiban::state::redis {

inline constexpr std::size_t cluster_slots = 16384;

// The slot Redis Cluster gives `key`: CRC16 (XMODEM) of its hash tag — the part between the first
// '{' and the next '}', when not empty — or of the whole key, modulo 16384.
std::uint16_t key_slot(std::string_view key);

// The key `c` is routed by: its first key; nullopt for a command without keys (PING, MULTI, WAIT).
std::optional<std::string_view> routing_key(const command& c);

// A redirection in a reply: "MOVED 3999 127.0.0.1:7002" or "ASK 3999 127.0.0.1:7002".
struct redirect {
    bool ask = false;
    std::uint16_t slot = 0;
    std::string host; // empty when the node left it out (the host asked is meant)
    std::string port;
};
std::optional<redirect> parse_redirect(const value& reply);

class cluster_router : public std::enable_shared_from_this<cluster_router> {
public:
    cluster_router(boost::asio::any_io_executor ex, config cfg, address addr);
    ~cluster_router();

    void start();
    void stop();
    // True when every slot has a master and every such master is connected.
    bool connected() const;
    const statistics& stats() const;

    boost::asio::awaitable<boost::system::result<std::vector<value>>>
    exec_many(std::vector<command> cmds);

private:
    struct node {
        std::string host, port;
        std::unique_ptr<connection> conn;
        bool up = false;
    };

    node& node_at(const std::string& host, const std::string& port);
    node* any_node();
    void request_refresh();
    void node_health(const std::string& name, bool up, const std::string& reason);
    void report(const std::string& why);
    boost::asio::awaitable<void> refresh_loop();
    boost::asio::awaitable<bool> load_slots();
    bool apply_slots(const value& reply, const node& asked);
    boost::asio::awaitable<boost::system::result<std::vector<value>>>
    send(node* to, std::vector<command> cmds, bool asking);

    boost::asio::any_io_executor ex_;
    config cfg_;
    address addr_;
    statistics stats_;
    std::map<std::string, node> nodes_; // "host:port" -> its connection
    std::array<node*, cluster_slots> slots_{};
    boost::asio::steady_timer refresh_timer_;
    bool refresh_wanted_ = true;
    bool stopped_ = false;
    int reported_ = -1; // last health told to cfg.on_health: -1 nothing yet, 0 down, 1 up
};

} // namespace daiban::state::redis
