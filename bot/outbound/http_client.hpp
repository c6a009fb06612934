// bot layer, outbound: the server's asynchronous HTTP/HTTPS client (the one Beast client TU on
// the server side) for platform APIs and hook callbacks. TLS verifies the peer against the
// system certificate store, with SNI and host-name verification. Every request has one deadline
// (connect + write + read). Idle connections are kept per origin and reused.
//
// Thread-safety: one client per io_context thread (each outbox worker has its own); calls must
// be made on that executor.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace daiban::bot::outbound {

struct http_request {
    std::string method = "GET";
    std::string url; // http://host[:port]/path?query or https://...
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct http_response {
    int status = 0;
    std::string content_type;
    std::string content_disposition;
    std::string body;
};

struct http_client_options {
    std::chrono::milliseconds timeout{10'000};
    std::size_t body_limit =
        16 * 1024 * 1024; // a larger response fails (media downloads cap lower)
    std::size_t max_idle_per_origin = 4;
};

// Parts of an http(s) URL; false when it is neither.
struct url_parts {
    bool tls = false;
    std::string host;
    std::string port;
    std::string target; // path + query, "/" when empty
};
bool split_url(const std::string& url, url_parts& out);

class http_client {
public:
    http_client(boost::asio::any_io_executor ex, http_client_options opts = {});
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    // Transport failures (refused, timeout, TLS verification, oversized body) are errors; any
    // HTTP status is a response.
    boost::asio::awaitable<boost::system::result<http_response>> send(http_request req);

    // Closes idle connections (at shutdown).
    void close_idle();

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

} // namespace daiban::bot::outbound
