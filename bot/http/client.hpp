// bot layer, http: a small blocking HTTP/1.1 client with keep-alive, for the CLI (`daiban chat`)
// and tests. Not for the server's own outbound calls (those are asynchronous).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace daiban::bot::http {

struct client_response {
    int status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string header(std::string_view name) const;
};

class client {
public:
    // base: "http://host:port". Throws std::invalid_argument on anything else.
    explicit client(const std::string& base, int timeout_ms = 10'000);
    ~client();

    // Throws std::system_error when the server cannot be reached.
    client_response request(const std::string& method,
                            const std::string& target,
                            const std::string& body = {},
                            const std::vector<std::pair<std::string, std::string>>& headers = {});

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

// Splits "http://host:port/path" into host, port ("80" by default) and path ("/" by default).
bool split_http_url(const std::string& url,
                    std::string& host,
                    std::string& port,
                    std::string& path);

} // namespace daiban::bot::http
