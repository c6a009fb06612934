// bot layer, http: blocking client (see client.hpp).
#include "bot/http/client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <stdexcept>

namespace daiban::bot::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

bool split_http_url(const std::string& url,
                    std::string& host,
                    std::string& port,
                    std::string& path) {
    if (!url.starts_with("http://")) return false;
    const std::string rest = url.substr(7);
    const auto slash = rest.find('/');
    const std::string hostport = rest.substr(0, slash);
    path = slash == std::string::npos ? "/" : rest.substr(slash);
    const auto colon = hostport.rfind(':');
    host = hostport.substr(0, colon);
    port = colon == std::string::npos ? "80" : hostport.substr(colon + 1);
    return !host.empty() && !port.empty();
}

std::string client_response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (beast::iequals(k, name)) return v;
    return {};
}

struct client::impl {
    asio::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    std::string host, port;
    std::chrono::milliseconds timeout;
    bool connected = false;

    void connect() {
        asio::ip::tcp::resolver resolver(ioc);
        stream.expires_after(timeout);
        stream.connect(resolver.resolve(host, port));
        stream.socket().set_option(asio::ip::tcp::no_delay(true));
        connected = true;
    }
};

client::client(const std::string& base, int timeout_ms) : impl_(std::make_unique<impl>()) {
    std::string path;
    if (!split_http_url(base, impl_->host, impl_->port, path))
        throw std::invalid_argument("the URL must look like http://127.0.0.1:8080 (got '" + base +
                                    "')");
    impl_->timeout = std::chrono::milliseconds(timeout_ms);
}

client::~client() = default;

client_response client::request(const std::string& method,
                                const std::string& target,
                                const std::string& body,
                                const std::vector<std::pair<std::string, std::string>>& headers) {
    // One retry on a fresh connection: the server may have closed an idle keep-alive connection.
    for (int attempt = 0;; ++attempt) {
        try {
            if (!impl_->connected) impl_->connect();
            bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
            req.set(bhttp::field::host, impl_->host);
            for (const auto& [k, v] : headers)
                req.set(k, v);
            req.body() = body;
            req.keep_alive(true);
            req.prepare_payload();
            impl_->stream.expires_after(impl_->timeout);
            bhttp::write(impl_->stream, req);
            bhttp::response_parser<bhttp::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            bhttp::read(impl_->stream, impl_->buffer, parser);
            auto res = parser.release();
            client_response out;
            out.status = static_cast<int>(res.result_int());
            out.body = std::move(res.body());
            for (const auto& f : res)
                out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
            if (!res.keep_alive()) {
                beast::error_code ec;
                impl_->stream.socket().close(ec);
                impl_->connected = false;
            }
            return out;
        } catch (const boost::system::system_error& e) {
            beast::error_code ec;
            impl_->stream.socket().close(ec);
            impl_->connected = false;
            impl_->buffer.clear();
            if (attempt >= 1)
                throw std::system_error(e.code(),
                                        "cannot reach http://" + impl_->host + ":" + impl_->port);
        }
    }
}

} // namespace daiban::bot::http
