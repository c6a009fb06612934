// Integration test support: a local HTTP peer of the bot (a bridge's callback endpoint, a server
// a media.url points at), run on its own threads with blocking Beast I/O.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace daiban::test {

namespace peer_asio = boost::asio;
namespace peer_beast = boost::beast;

// A bridge's callback endpoint (or any HTTP peer of the bot): records every request; answers
// `status` with `body`, or holds the request without answering while `hang` is set (a peer that
// accepted the push but never confirmed).
class callback_server {
public:
    explicit callback_server(unsigned short port) : port_(port) {}
    ~callback_server() { stop(); }

    void start() {
        acceptor_ = std::make_unique<peer_asio::ip::tcp::acceptor>(
            ioc_, peer_asio::ip::tcp::endpoint(peer_asio::ip::make_address("127.0.0.1"), port_));
        running_ = true;
        thread_ = std::thread([this] { loop(); });
    }
    void stop() {
        if (!running_) return;
        running_ = false;
        hang = false;
        // A blocking accept() is not woken by closing the acceptor from another thread: connect
        // to it once so the loop sees running_ == false.
        {
            peer_asio::io_context wake_ioc;
            peer_asio::ip::tcp::socket wake(wake_ioc);
            boost::system::error_code ec;
            wake.connect({peer_asio::ip::make_address("127.0.0.1"), port_}, ec);
        }
        thread_.join();
        acceptor_.reset();
    }
    struct received {
        std::string body;
        std::string signature;
        bool answered = false;
    };
    std::vector<received> requests() {
        std::lock_guard l(m_);
        return requests_;
    }
    std::size_t answered_ok() {
        std::lock_guard l(m_);
        std::size_t n = 0;
        for (const auto& r : requests_)
            n += r.answered && status_ < 300 ? 1 : 0;
        return n;
    }
    std::atomic<int> status_{200};
    std::atomic<bool> hang{false};
    std::string body = "{}"; // set before start()
    std::string content_type = "application/json";
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/push"; }
    unsigned short port() const { return port_; }

private:
    // One thread per connection: each outbox worker (one per shard) keeps its own connection.
    void loop() {
        while (running_) {
            auto s = std::make_shared<peer_asio::ip::tcp::socket>(ioc_);
            boost::system::error_code ec;
            acceptor_->accept(*s, ec);
            if (ec || !running_) break;
            std::lock_guard l(m_);
            sockets_.push_back(s);
            connections_.emplace_back([this, s] { serve(*s); });
        }
        // Wake connection threads blocked in a read, then wait for them.
        {
            std::lock_guard l(m_);
            for (auto& s : sockets_) {
                boost::system::error_code ec;
                s->shutdown(peer_asio::ip::tcp::socket::shutdown_both, ec);
            }
        }
        for (auto& t : connections_)
            t.join();
    }

    void serve(peer_asio::ip::tcp::socket& s) {
        peer_beast::flat_buffer buf;
        for (;;) {
            peer_beast::http::request<peer_beast::http::string_body> req;
            boost::system::error_code ec;
            peer_beast::http::read(s, buf, req, ec);
            if (ec) return;
            std::size_t index;
            {
                std::lock_guard l(m_);
                requests_.push_back({req.body(), std::string(req["X-Daiban-Signature"]), false});
                index = requests_.size() - 1;
            }
            if (hang) {
                // Keep the socket open, answer nothing, until the test lets go.
                while (hang && running_)
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                return;
            }
            peer_beast::http::response<peer_beast::http::string_body> res{
                static_cast<peer_beast::http::status>(status_.load()), 11};
            res.body() = body;
            res.set(peer_beast::http::field::content_type, content_type);
            res.prepare_payload();
            peer_beast::http::write(s, res, ec);
            {
                std::lock_guard l(m_);
                requests_[index].answered = true;
            }
            if (ec) return;
        }
    }

    unsigned short port_;
    peer_asio::io_context ioc_;
    std::unique_ptr<peer_asio::ip::tcp::acceptor> acceptor_;
    std::thread thread_;
    std::atomic<bool> running_{false};
    std::mutex m_;
    std::vector<received> requests_;
    std::vector<std::shared_ptr<peer_asio::ip::tcp::socket>> sockets_;
    std::vector<std::thread> connections_;
};

} // namespace daiban::test
