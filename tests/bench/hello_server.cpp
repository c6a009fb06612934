// Benchmark reference: a bare Beast HTTP/1.1 keep-alive server answering "hello" to everything,
// with the same threading as daiban (one io_context per thread, SO_REUSEPORT acceptors). It
// gives the ceiling `daiban bench` numbers are compared against. Usage: hello_server PORT [THREADS]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <iostream>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using asio::ip::tcp;

static asio::awaitable<void> session(tcp::socket s) {
    beast::tcp_stream stream(std::move(s));
    beast::flat_buffer buf;
    for (;;) {
        http::request<http::string_body> req;
        beast::error_code ec;
        co_await http::async_read(stream, buf, req, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) break;
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"replies":[],"duplicate":false})";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
        if (ec || !req.keep_alive()) break;
    }
}

static asio::awaitable<void> accept_loop(tcp::acceptor& acc) {
    for (;;) {
        auto s = co_await acc.async_accept(asio::use_awaitable);
        s.set_option(tcp::no_delay(true));
        asio::co_spawn(acc.get_executor(), session(std::move(s)), asio::detached);
    }
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: hello_server PORT [THREADS]\n";
        return 2;
    }
    const auto port = static_cast<unsigned short>(std::atoi(argv[1]));
    const int threads = argc > 2 ? std::atoi(argv[2]) : 2;
    std::vector<std::unique_ptr<asio::io_context>> ctxs;
    std::vector<std::unique_ptr<tcp::acceptor>> accs;
    for (int i = 0; i < threads; ++i) {
        ctxs.push_back(std::make_unique<asio::io_context>(1));
        auto a = std::make_unique<tcp::acceptor>(*ctxs.back());
        tcp::endpoint ep{asio::ip::make_address("127.0.0.1"), port};
        a->open(ep.protocol());
        a->set_option(asio::socket_base::reuse_address(true));
        a->set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
        a->bind(ep);
        a->listen();
        asio::co_spawn(*ctxs.back(), accept_loop(*a), asio::detached);
        accs.push_back(std::move(a));
    }
    std::vector<std::thread> ts;
    for (auto& c : ctxs)
        ts.emplace_back([&c] { c->run(); });
    for (auto& t : ts)
        t.join();
}
