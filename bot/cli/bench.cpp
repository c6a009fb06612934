// bot layer, cli: `daiban bench` — a load generator for the JSON hook (DESIGN §3). Every request
// is signed and carries a unique id; messages are spread uniformly over N conversations, drawn
// afresh each run (--seed, random by default: a run must not replay the previous run's users,
// whose conversations are already warm in Redis; the seed is in the JSON to repeat a run).
// Closed loop (--connections C: each connection sends its next request when the last one is
// answered) or paced (--rate R: requests per second spread over the connections). Last line is
// JSON.
#include "bot/channels/json_hook.hpp"
#include "bot/channels/wechat_crypto.hpp"
#include "bot/cli/commands.hpp"
#include "bot/cli/hook_request.hpp"
#include "bot/config.hpp"
#include "bot/http/client.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <unistd.h>

namespace daiban::bot::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using clock = std::chrono::steady_clock;

namespace {

struct bench_options {
    hook_target target;
    int connections = 32;
    double rate = 0; // 0 = closed loop
    double seconds = 10;
    int conversations = 1000;
    std::string text = "你好";
    // --wechat: signed plain-text XML to /wechat/{tenant} as WeChat sends it; --aes: safe mode.
    bool wechat = false;
    bool aes = false;
    std::optional<channels::msg_crypt> crypt; // token (+ AES key, appid) of the tenant
    int pid = 0;                              // --pid: the server, for its CPU time
    std::uint64_t seed = 0;                   // --seed; 0 = a random one per run
};

struct bench_state {
    bench_options opt;
    std::string host, port, prefix;
    clock::time_point end;
    std::uint64_t sent = 0, ok = 0, errors = 0;
    // 200s that carried a real reply (the help text), not an empty acknowledgement: WeChat's
    // "success" or a hook response with no replies also answer 200.
    std::uint64_t answered = 0;
    std::vector<double> latencies_ms;
    std::string first_error;
};

// A WeChat text message as the platform posts it: signed query, plain XML or the encrypted
// envelope (safe mode). The numeric MsgId is unique per request.
bhttp::request<bhttp::string_body>
wechat_request(bench_state& st, const std::string& user, const std::string& id_text) {
    const auto& crypt = *st.opt.crypt;
    const std::string ts = std::to_string(unix_seconds());
    const std::string nonce = std::to_string(std::hash<std::string>{}(id_text) % 1000000000);
    std::uint64_t msg_id = std::hash<std::string>{}(id_text)&0x7fffffffffffffffULL;
    std::string xml = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[" +
                      user + "]]></FromUserName><CreateTime>" + ts +
                      "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" +
                      st.opt.text + "]]></Content><MsgId>" + std::to_string(msg_id) +
                      "</MsgId></xml>";
    std::string target = "/wechat/" + st.opt.target.tenant +
                         "?signature=" + crypt.signature(ts, nonce) + "&timestamp=" + ts +
                         "&nonce=" + nonce + "&openid=" + user;
    if (st.opt.aes) {
        auto enc = crypt.encrypt(xml);
        const std::string e = enc ? *enc : std::string();
        target += "&encrypt_type=aes&msg_signature=" + crypt.signature(ts, nonce, e);
        xml = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[" + e +
              "]]></Encrypt></xml>";
    }
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, target, 11};
    req.set(bhttp::field::content_type, "text/xml");
    req.body() = std::move(xml);
    req.keep_alive(true);
    req.prepare_payload();
    return req;
}

// The process's user + system CPU time in milliseconds (/proc/<pid>/stat fields 14 and 15).
double cpu_ms(int pid) {
    std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    const auto close = all.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream rest(all.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Did a 200 carry a reply? A WeChat passive reply is an <xml> document (with <Encrypt> in safe
// mode); a hook response lists its replies. Checked cheaply: the e2e tests verify the content.
bool carries_reply(const bench_options& o, std::string_view body) {
    if (!o.wechat) return body.find("\"text\"") != std::string_view::npos;
    if (!body.starts_with("<xml>")) return false;
    return !o.aes || body.find("<Encrypt>") != std::string_view::npos;
}

// A signed JSON-hook text message (DESIGN §3) from `user`, with a unique id.
bhttp::request<bhttp::string_body>
hook_request(const bench_state& st, const std::string& user, const std::string& id) {
    std::string body = R"({"id":")" + id + R"(","time":)" + std::to_string(unix_seconds()) +
                       R"(,"chat":{"type":"private","id":")" + user + R"("},"from":{"id":")" +
                       user + R"(","name":"压测"},"type":"text","text":")" + st.opt.text + "\"}";
    bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/hook/" + st.opt.target.tenant, 11};
    req.set(bhttp::field::content_type, "application/json");
    req.set("X-Daiban-Signature", channels::hook_signature(st.opt.target.secret, body));
    req.set("X-Daiban-Chat", user); // what a balancer hashes on (deploy/nginx/daiban.conf)
    req.body() = std::move(body);
    req.keep_alive(true);
    req.prepare_payload();
    return req;
}

asio::awaitable<void> run_connection(bench_state& st, int index) {
    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    beast::tcp_stream stream(ex);
    beast::flat_buffer buffer;
    bool connected = false;
    // Each connection its own stream of the run's seed, so connections do not repeat each other.
    std::seed_seq seeds{static_cast<std::uint32_t>(st.opt.seed),
                        static_cast<std::uint32_t>(st.opt.seed >> 32),
                        static_cast<std::uint32_t>(index)};
    std::mt19937_64 rng(seeds);
    std::uniform_int_distribution<int> pick(0, st.opt.conversations - 1);
    const double interval_s = st.opt.rate > 0 ? st.opt.connections / st.opt.rate : 0;
    auto next_send = clock::now();
    asio::steady_timer pacer(ex);
    std::uint64_t seq = 0;

    while (clock::now() < st.end) {
        if (interval_s > 0) {
            pacer.expires_at(next_send);
            boost::system::error_code ignored;
            co_await pacer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            next_send += std::chrono::duration_cast<clock::duration>(
                std::chrono::duration<double>(interval_s));
        }
        boost::system::error_code ec;
        if (!connected) {
            auto eps = co_await resolver.async_resolve(
                st.host, st.port, asio::redirect_error(asio::use_awaitable, ec));
            if (!ec)
                co_await stream.async_connect(eps, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                ++st.errors;
                if (st.first_error.empty()) st.first_error = "connect: " + ec.message();
                asio::steady_timer t(ex, std::chrono::milliseconds(100));
                co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            stream.socket().set_option(asio::ip::tcp::no_delay(true), ec);
            connected = true;
        }
        const std::string user = "bench_u" + std::to_string(pick(rng));
        const std::string id = st.prefix + std::to_string(index) + "-" + std::to_string(++seq);
        auto req = st.opt.wechat ? wechat_request(st, user, id) : hook_request(st, user, id);
        req.set(bhttp::field::host, st.host);
        const auto t0 = clock::now();
        ++st.sent;
        stream.expires_after(std::chrono::seconds(10));
        co_await bhttp::async_write(stream, req, asio::redirect_error(asio::use_awaitable, ec));
        bhttp::response<bhttp::string_body> res;
        if (!ec)
            co_await bhttp::async_read(stream, buffer, res,
                                       asio::redirect_error(asio::use_awaitable, ec));
        const double ms = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
        if (ec) {
            ++st.errors;
            if (st.first_error.empty()) st.first_error = ec.message();
            stream.socket().close(ec);
            buffer.clear();
            connected = false;
            continue;
        }
        st.latencies_ms.push_back(ms);
        if (res.result_int() == 200) {
            ++st.ok;
            if (carries_reply(st.opt, res.body())) ++st.answered;
        } else {
            ++st.errors;
            if (st.first_error.empty())
                st.first_error = "HTTP " + std::to_string(res.result_int()) + " " + res.body();
        }
        if (!res.keep_alive()) {
            stream.socket().close(ec);
            connected = false;
        }
    }
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

} // namespace

int run_bench(int argc, char** argv) {
    bench_state st;
    auto& o = st.opt;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        try {
            if (a == "--url")
                o.target.url = next();
            else if (a == "--secret")
                o.target.secret = next();
            else if (a == "--tenant")
                o.target.tenant = next();
            else if (a == "--connections")
                o.connections = std::stoi(next());
            else if (a == "--rate")
                o.rate = std::stod(next());
            else if (a == "--seconds")
                o.seconds = std::stod(next());
            else if (a == "--conversations")
                o.conversations = std::stoi(next());
            else if (a == "--text")
                o.text = next();
            else if (a == "--wechat")
                o.wechat = true;
            else if (a == "--aes")
                o.wechat = o.aes = true;
            else if (a == "--pid")
                o.pid = std::stoi(next());
            else if (a == "--seed")
                o.seed = std::stoull(next());
            else
                throw std::invalid_argument(a);
        } catch (const std::exception&) {
            std::cerr
                << "bad argument '" << a
                << "'\nusage: daiban bench [--url URL] [--secret S] [--tenant T] "
                   "[--connections C | --rate R] [--seconds S] [--conversations N] [--text T] "
                   "[--wechat [--aes]] [--pid SERVER_PID] [--seed N]\n";
            return 2;
        }
    }
    if (o.connections < 1 || o.conversations < 1 || o.seconds <= 0) {
        std::cerr << "--connections, --conversations and --seconds must be positive\n";
        return 2;
    }
    if (o.target.secret.empty()) o.target.secret = default_hook_secret(o.target.tenant);
    if (o.wechat) {
        // The tenant's WeChat token, AES key and AppID from the config (deploy/daiban.json).
        std::vector<config_problem> problems;
        auto cfg = load_config(std::getenv("DAIBAN_CONFIG") ? std::getenv("DAIBAN_CONFIG")
                                                            : "deploy/daiban.json",
                               problems);
        const tenant_config* t = cfg ? cfg->find_tenant(o.target.tenant) : nullptr;
        if (!t || !t->wechat || (o.aes && t->wechat->aes_key.empty())) {
            std::cerr << "--wechat needs the tenant's wechat section (token, appid"
                      << (o.aes ? ", aes_key" : "")
                      << ") in $DAIBAN_CONFIG or deploy/daiban.json\n";
            return 2;
        }
        auto c = channels::msg_crypt::make(
            t->wechat->token,
            o.aes ? std::string_view(t->wechat->aes_key)
                  : std::string_view("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
            t->wechat->appid);
        if (!c) {
            std::cerr << "wechat.aes_key: " << c.error().message() << "\n";
            return 2;
        }
        o.crypt = std::move(*c);
    }
    std::string path;
    if (!http::split_http_url(o.target.url, st.host, st.port, path)) {
        std::cerr << "--url must look like http://127.0.0.1:8080\n";
        return 2;
    }
    if (o.seed == 0) {
        std::random_device rd;
        o.seed = (std::uint64_t{rd()} << 32 | rd()) | 1; // never 0, which means "pick one"
    }
    st.prefix = "bench-" + std::to_string(unix_seconds()) + "-" + std::to_string(getpid()) + "-";
    st.latencies_ms.reserve(1 << 20);
    asio::io_context ioc{1};
    const auto start = clock::now();
    st.end = start +
             std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(o.seconds));
    const double cpu_before = o.pid > 0 ? cpu_ms(o.pid) : 0;
    for (int c = 0; c < o.connections; ++c)
        asio::co_spawn(ioc, run_connection(st, c), asio::detached);
    ioc.run();
    const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    const double cpu_used = o.pid > 0 ? cpu_ms(o.pid) - cpu_before : 0;
    if (!st.first_error.empty()) std::cerr << "first error: " << st.first_error << "\n";
    const double p50 = percentile(st.latencies_ms, 0.50);
    const double p99 = percentile(st.latencies_ms, 0.99);
    const double mx = st.latencies_ms.empty()
                          ? 0
                          : *std::max_element(st.latencies_ms.begin(), st.latencies_ms.end());
    char line[320];
    std::snprintf(
        line, sizeof line,
        R"({"sent":%llu,"ok":%llu,"answered":%llu,"errors":%llu,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"seed":%llu})",
        static_cast<unsigned long long>(st.sent), static_cast<unsigned long long>(st.ok),
        static_cast<unsigned long long>(st.answered), static_cast<unsigned long long>(st.errors),
        static_cast<double>(st.ok) / elapsed, p50, p99, mx,
        static_cast<unsigned long long>(o.seed));
    std::string out = line;
    if (o.pid > 0 && st.ok > 0) {
        // The server's CPU per message: compare runs (plain vs --aes) for the cost of safe mode.
        char cpu[96];
        std::snprintf(cpu, sizeof cpu, R"(,"server_cpu_us_per_msg":%.1f})",
                      cpu_used * 1000.0 / static_cast<double>(st.ok));
        out.pop_back();
        out += cpu;
    }
    std::cout << out << std::endl;
    return st.errors == 0 ? 0 : 1;
}

} // namespace daiban::bot::cli
