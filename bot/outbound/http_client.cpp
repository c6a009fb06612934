// bot layer, outbound: http_client (see http_client.hpp).
#include "bot/outbound/http_client.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>

namespace daiban::bot::outbound {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::system::error_code;
using boost::system::result;

bool split_url(const std::string& url, url_parts& out) {
    std::string rest;
    if (url.starts_with("http://")) {
        out.tls = false;
        rest = url.substr(7);
    } else if (url.starts_with("https://")) {
        out.tls = true;
        rest = url.substr(8);
    } else {
        return false;
    }
    const auto slash = rest.find_first_of("/?");
    std::string authority = rest.substr(0, slash);
    out.target = slash == std::string::npos ? "/" : rest.substr(slash);
    if (out.target.front() == '?') out.target.insert(0, "/");
    if (authority.empty() || authority.find('@') != std::string::npos) return false;
    std::string port;
    if (authority.front() == '[') { // [v6]:port
        const auto close = authority.find(']');
        if (close == std::string::npos) return false;
        out.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            port = authority.substr(close + 2);
    } else {
        const auto colon = authority.rfind(':');
        out.host = authority.substr(0, colon);
        if (colon != std::string::npos) port = authority.substr(colon + 1);
    }
    out.port = port.empty() ? (out.tls ? "443" : "80") : port;
    return !out.host.empty();
}

namespace {

struct connection {
    bool tls = false;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;

    beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*secure) : *plain; }
};

template <class Stream>
asio::awaitable<error_code> exchange(Stream& s,
                                     beast::flat_buffer& buffer,
                                     bhttp::request<bhttp::string_body>& req,
                                     bhttp::response_parser<bhttp::string_body>& parser) {
    auto [wec, wn] = co_await bhttp::async_write(s, req, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec) co_return wec;
    auto [rec, rn] =
        co_await bhttp::async_read(s, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)rn;
    co_return rec;
}

} // namespace

struct http_client::impl {
    asio::any_io_executor ex;
    http_client_options opts;
    ssl::context tls_ctx{ssl::context::tls_client};
    std::map<std::string, std::vector<std::unique_ptr<connection>>> idle;

    impl(asio::any_io_executor e, http_client_options o) : ex(std::move(e)), opts(o) {
        tls_ctx.set_default_verify_paths();
        tls_ctx.set_verify_mode(ssl::verify_peer);
        tls_ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1);
    }

    asio::awaitable<result<std::unique_ptr<connection>>>
    open(const url_parts& u, std::chrono::steady_clock::time_point deadline) {
        asio::ip::tcp::resolver resolver(ex);
        asio::steady_timer guard(ex);
        // The resolver has no timeout of its own: a timer cancels it.
        guard.expires_at(deadline);
        guard.async_wait([&resolver](error_code ec) {
            if (!ec) resolver.cancel();
        });
        auto [rec, endpoints] =
            co_await resolver.async_resolve(u.host, u.port, asio::as_tuple(asio::use_awaitable));
        guard.cancel();
        if (rec) co_return rec;
        auto c = std::make_unique<connection>();
        c->tls = u.tls;
        if (u.tls) {
            c->secure.emplace(ex, tls_ctx);
            if (!SSL_set_tlsext_host_name(c->secure->native_handle(), u.host.c_str()))
                co_return error_code(static_cast<int>(::ERR_get_error()),
                                     asio::error::get_ssl_category());
            c->secure->set_verify_callback(ssl::host_name_verification(u.host));
        } else {
            c->plain.emplace(ex);
        }
        c->lowest().expires_at(deadline);
        auto [cec, ep] =
            co_await c->lowest().async_connect(endpoints, asio::as_tuple(asio::use_awaitable));
        (void)ep;
        if (cec) co_return cec;
        if (u.tls) {
            auto [hec] = co_await c->secure->async_handshake(ssl::stream_base::client,
                                                             asio::as_tuple(asio::use_awaitable));
            if (hec) co_return hec;
        }
        co_return c;
    }
};

http_client::http_client(asio::any_io_executor ex, http_client_options opts)
    : impl_(std::make_unique<impl>(std::move(ex), opts)) {}
http_client::~http_client() = default;

void http_client::close_idle() {
    impl_->idle.clear();
}

asio::awaitable<result<http_response>> http_client::send(http_request in) {
    url_parts u;
    if (!split_url(in.url, u)) co_return make_error_code(boost::system::errc::invalid_argument);
    const std::string origin = (u.tls ? "https://" : "http://") + u.host + ":" + u.port;
    const auto deadline = std::chrono::steady_clock::now() + impl_->opts.timeout;

    bhttp::request<bhttp::string_body> req;
    req.method_string(in.method);
    req.target(u.target);
    req.version(11);
    const bool default_port = u.port == (u.tls ? "443" : "80");
    req.set(bhttp::field::host, default_port ? u.host : u.host + ":" + u.port);
    req.set(bhttp::field::user_agent, "daiban");
    for (const auto& [k, v] : in.headers)
        req.set(k, v);
    req.body() = std::move(in.body);
    req.keep_alive(true);
    req.prepare_payload();

    // A kept connection may have been closed by the server meanwhile: one retry on a fresh one.
    for (int round = 0; round < 2; ++round) {
        std::unique_ptr<connection> c;
        bool reused = false;
        if (auto it = impl_->idle.find(origin); it != impl_->idle.end() && !it->second.empty()) {
            c = std::move(it->second.back());
            it->second.pop_back();
            reused = true;
        } else {
            auto opened = co_await impl_->open(u, deadline);
            if (!opened) co_return opened.error();
            c = std::move(*opened);
        }
        c->lowest().expires_at(deadline);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(impl_->opts.body_limit);
        parser.header_limit(64 * 1024);
        error_code ec = c->tls ? co_await exchange(*c->secure, c->buffer, req, parser)
                               : co_await exchange(*c->plain, c->buffer, req, parser);
        if (ec) {
            if (reused && round == 0 && ec != beast::error::timeout &&
                ec != bhttp::error::body_limit)
                continue;
            co_return ec;
        }
        auto res = parser.release();
        http_response out;
        out.status = static_cast<int>(res.result_int());
        out.content_type = std::string(res[bhttp::field::content_type]);
        out.content_disposition = std::string(res[bhttp::field::content_disposition]);
        out.body = std::move(res.body());
        if (res.keep_alive()) {
            c->lowest().expires_never();
            auto& pool = impl_->idle[origin];
            if (pool.size() < impl_->opts.max_idle_per_origin) pool.push_back(std::move(c));
        }
        co_return out;
    }
    co_return make_error_code(boost::system::errc::connection_aborted);
}

} // namespace daiban::bot::outbound
