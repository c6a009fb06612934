// state layer, Redis: one multiplexed connection, owned by one shard (io_context on one thread).
//
// hiredis 0.14 serves only as the reply parser (redisReader; requests are framed here); an Asio
// socket owns the connection (DESIGN §2, cpp_style.md §8 "codec only"). Many coroutines may have
// commands in flight at once: their commands are coalesced into one write (pipelining) and the
// replies are matched in FIFO order.
//
// Failure contract: while Redis is unreachable every call completes at once with
// errc::redis_unavailable (fail fast; nothing is queued), and the connection keeps retrying with
// capped backoff. A command without a reply within `command_timeout` fails with
// errc::redis_timeout and the connection is reset. Error replies (-ERR) are values, not errors.
//
// Redis Cluster (cluster://): each command goes to the master serving its key's slot, over one
// such pipelined connection per master (state/redis/cluster.hpp); the contract above holds per
// call.
//
// Thread-safety: all calls must be made on the connection's executor. The statistics are atomic
// and may be read from anywhere.
#pragma once

#include "state/errors.hpp"
#include "state/redis/script.hpp"
#include "state/redis/value.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace daiban::state::redis {

struct config {
    // redis://host:port/db, unix:///path/to/redis.sock[?db=N], through Redis Sentinel:
    // sentinel://host1:26379,host2:26379/master-name[?db=N&password=P&sentinel_password=S],
    // or a Redis Cluster, by any of its nodes: cluster://host1:7000,host2:7001
    std::string address = "redis://127.0.0.1:6379/0";
    // After a turn is recorded (exec_durable), wait until this many replicas have it, for at
    // most `wait_timeout`; fewer in time fails the call (the sender retries and is answered from
    // the record). 0: answer as soon as the master has it (replication stays asynchronous).
    int wait_replicas = 0;
    std::chrono::milliseconds wait_timeout{500};
    std::chrono::milliseconds connect_timeout{1000};
    std::chrono::milliseconds command_timeout{2000};
    // An idle connection is probed with PING this often, so a dead peer is noticed.
    std::chrono::milliseconds health_check_interval{1000};
    std::chrono::milliseconds reconnect_min{50};
    std::chrono::milliseconds reconnect_max{2000};
    // A reply larger than this is treated as a protocol error (protects memory).
    std::size_t max_read_buffer = 64 * 1024 * 1024;
    // Told on the connection's executor when it comes up and when it goes down (a failed first
    // connect counts as down), once per change, with why it went down: the owner logs Redis
    // outages as they start and end instead of per failed command.
    std::function<void(bool up, const std::string& reason)> on_health;
};

// A parsed address; `parse_address` returns nullopt with `error` set on a malformed one.
struct address {
    bool unix_socket = false;
    std::string host; // or socket path
    std::string port;
    int db = 0;
    // Sentinel: the master of `master_name` is asked of these (host, port), in order, before
    // every connect, and the node found must say ROLE master; `host`/`port` stay empty.
    std::vector<std::pair<std::string, std::string>> sentinels;
    std::string master_name;
    std::string password;          // AUTH to the data node (requirepass), when set
    std::string sentinel_password; // AUTH to the sentinels, when set
    // Cluster: the slot map is asked of these nodes (host, port), in order; host/port stay empty.
    bool cluster = false;
    std::vector<std::pair<std::string, std::string>> cluster_nodes;
};
std::optional<address> parse_address(std::string_view text, std::string& error);

using command = std::vector<std::string>;

struct statistics {
    std::atomic<std::uint64_t> commands{0};
    std::atomic<std::uint64_t> errors{0}; // unavailable, timeouts, protocol errors
    std::atomic<std::uint64_t> reconnects{0};
    std::atomic<bool> connected{false};
};

class connection {
public:
    connection(boost::asio::any_io_executor ex, config cfg);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    // Starts connecting (and reconnecting for as long as the connection lives).
    void start();
    // Stops for good: fails what is pending with redis_shutting_down and closes the socket.
    void stop();

    bool connected() const;
    const statistics& stats() const;

    boost::asio::awaitable<boost::system::result<value>> exec(command cmd);
    // Sends all commands in one write; the replies come back in order (error replies included).
    boost::asio::awaitable<boost::system::result<std::vector<value>>>
    exec_many(std::vector<command> cmds);
    // exec_many, then — with config.wait_replicas — WAIT in the same write: the call succeeds
    // only once that many replicas have everything this connection wrote so far.
    boost::asio::awaitable<boost::system::result<std::vector<value>>>
    exec_durable(std::vector<command> cmds);
    // EVALSHA, falling back to EVAL when the server does not know the script (NOSCRIPT).
    boost::asio::awaitable<boost::system::result<value>>
    eval(const script& s, std::vector<std::string> keys, std::vector<std::string> args);

    struct impl; // public so the file-local initiation helper can name it

private:
    // Shared with the coroutines the connection runs, which may outlive a stop() by a moment.
    std::shared_ptr<impl> impl_;
    // cluster:// only: routes each command to its slot's node (state/redis/cluster.hpp).
    std::shared_ptr<class cluster_router> cluster_;
};

} // namespace daiban::state::redis
