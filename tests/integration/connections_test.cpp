// Integration: what one client's connections can and cannot do to everyone else (issue 17) — the
// real binary over loopback, the flooding client on 127.0.0.2, the good one on 127.0.0.3 (all of
// 127/8 is this host on Linux). Also the request deadline: a header or body that stops arriving
// is answered 408 at the read timeout, not dropped silently at the idle timeout.
#include "support.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

using namespace daiban::test;

namespace {

// A raw TCP connection from `source` (an address of 127/8) to the bot.
struct raw_connection {
    int fd = -1;
    raw_connection(const std::string& source, unsigned short port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in from{};
        from.sin_family = AF_INET;
        inet_pton(AF_INET, source.c_str(), &from.sin_addr);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)
            throw std::runtime_error("cannot bind to " + source);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0)
            throw std::runtime_error("cannot connect from " + source);
    }
    raw_connection(raw_connection&& o) noexcept : fd(std::exchange(o.fd, -1)) {}
    ~raw_connection() {
        if (fd >= 0) ::close(fd);
    }
    void send(const std::string& data) const {
        for (std::size_t off = 0; off < data.size();) {
            const auto n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
            if (n <= 0) throw std::runtime_error("send failed");
            off += static_cast<std::size_t>(n);
        }
    }
    // Everything the server sends until it closes the connection (or `cap_s` passes: a bound
    // so that a server that never answers fails the test instead of hanging it).
    std::string read_until_closed(int cap_s = 60) const {
        std::string out;
        const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(cap_s);
        while (std::chrono::steady_clock::now() < end) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 200) <= 0) continue;
            char buf[4096];
            const auto n = ::recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return out;
            out.append(buf, static_cast<std::size_t>(n));
        }
        return out + "<still open>";
    }
};

std::string signed_hook(const std::string& id, const std::string& from, const std::string& text) {
    const std::string body = text_message(id, from, text).dump();
    return "POST /hook/demo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "X-Daiban-Signature: " +
           daiban::bot::channels::hook_signature(hook_secret, body) +
           "\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
}

int status_of(const std::string& response) {
    // "HTTP/1.1 200 OK..."
    return response.size() > 12 ? std::atoi(response.c_str() + 9) : 0;
}

unsigned short port_of(const bot_process& bot) {
    const auto url = bot.url();
    return static_cast<unsigned short>(std::atoi(url.c_str() + url.rfind(':') + 1));
}

} // namespace

TEST_CASE("a flood of connections from one address leaves /healthz and other clients served",
          "[integration][http]") {
    constexpr int cap = 40;
    constexpr int flood = 160;
    bot_process bot(fixture_redis(), true,
                    ",\"max_connections_per_address\":" + std::to_string(cap) +
                        ",\"idle_timeout_ms\":600000");
    const auto port = port_of(bot);

    // The flooder opens connections and sends nothing, as a slowloris or a leaking client does.
    std::vector<raw_connection> flooder;
    for (int i = 0; i < flood; ++i)
        flooder.emplace_back("127.0.0.2", port);

    // What the flooder notices: beyond its cap each new connection is refused at once, with a
    // 503 that says why; the ones it holds stay open.
    int refused = 0;
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::vector<bool> answered(flood, false);
    while (refused < flood - cap && std::chrono::steady_clock::now() < end) {
        std::vector<pollfd> fds;
        for (const auto& c : flooder)
            fds.push_back({c.fd, POLLIN, 0});
        if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
        for (int i = 0; i < flood; ++i)
            if (!answered[i] && (fds[i].revents & (POLLIN | POLLHUP))) {
                answered[i] = true;
                const auto r = flooder[i].read_until_closed();
                CHECK(status_of(r) == 503);
                CHECK(r.find("too_many_connections_from_address") != std::string::npos);
                ++refused;
            }
    }
    REQUIRE(refused == flood - cap);

    // Another client is served as if nothing happened: health check and a real message.
    raw_connection health("127.0.0.3", port);
    health.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(health.read_until_closed()) == 200);
    raw_connection hook("127.0.0.3", port);
    hook.send(signed_hook("flood-1", "u_flood_other", "你好"));
    const auto answer = hook.read_until_closed();
    CHECK(status_of(answer) == 200);
    CHECK(answer.find("\"replies\":[{") != std::string::npos);
}

TEST_CASE("at the connection limit an idle connection makes room for a new client",
          "[integration][http]") {
    // Many addresses, none over its own cap, together fill the server.
    bot_process bot(fixture_redis(), true,
                    ",\"max_connections\":60,\"max_connections_per_address\":30,"
                    "\"idle_timeout_ms\":600000");
    const auto port = port_of(bot);
    std::vector<raw_connection> idle;
    for (int i = 0; i < 90; ++i)
        idle.emplace_back("127.0.0." + std::to_string(10 + i % 3), port);

    raw_connection health("127.0.0.3", port);
    health.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(status_of(health.read_until_closed()) == 200);
}

TEST_CASE("a header that stops arriving is answered 408 at the read timeout, not held idle",
          "[integration][http]") {
    // Idle timeout ten minutes, read timeout one second: an answer at all means the read timeout
    // applied to the unfinished header.
    bot_process bot(fixture_redis(), true, ",\"read_timeout_ms\":1000,\"idle_timeout_ms\":600000");
    raw_connection c("127.0.0.1", port_of(bot));
    c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Ag");
    const auto r = c.read_until_closed();
    CHECK(status_of(r) == 408);
    CHECK(r.find("request_timeout") != std::string::npos);
}

TEST_CASE("a body shorter than its Content-Length is answered 408", "[integration][http]") {
    bot_process bot(fixture_redis(), true, ",\"read_timeout_ms\":1000");
    raw_connection c("127.0.0.1", port_of(bot));
    c.send("POST /hook/demo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Content-Length: 100\r\n\r\n{\"id\":\"m-");
    const auto r = c.read_until_closed();
    CHECK(status_of(r) == 408);
    CHECK(r.find("Content-Length") != std::string::npos);
}
