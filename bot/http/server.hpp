// bot layer, http: the HTTP/1.1 server (Beast). One acceptor per shard on the same port
// (SO_REUSEPORT: the kernel spreads connections), one coroutine per connection on its shard.
// Limits on everything: header and body size (per route), read/idle/write timeouts, concurrent
// connections. drain() stops accepting, closes idle keep-alive connections and lets in-flight
// requests finish (graceful shutdown on SIGTERM).
#pragma once

#include "bot/config.hpp"
#include "bot/http/metrics.hpp"
#include "bot/http/router.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace daiban::bot::http {

class server {
public:
    server(const http_limits& limits,
           const router& routes,
           metrics& m,
           std::vector<boost::asio::io_context*> shards);
    ~server();

    // Binds every shard's acceptor to `endpoint` (port 0 picks a free port, shared by all).
    // Returns the bound port; throws std::system_error with a clear message if it cannot bind.
    unsigned short listen(const boost::asio::ip::tcp::endpoint& endpoint);
    void start();
    void drain();

    std::size_t connections() const { return connections_.load(std::memory_order_relaxed); }
    std::size_t requests_in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

    // Route body limits: the JSON hook accepts larger bodies (inline photos).
    void set_route_body_limit(std::string route_pattern, std::size_t limit);

private:
    struct impl;
    std::shared_ptr<impl> impl_;
    std::atomic<std::size_t> connections_{0};
    std::atomic<std::size_t> in_flight_{0};
};

} // namespace daiban::bot::http
