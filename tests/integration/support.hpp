// Integration test support: the real `daiban` binary as a child process, a redis-server of the
// test's own when a test must stop and restart it, signed JSON-hook requests, and a direct Redis
// reader (hiredis, blocking) to check what the bot stored.
#pragma once

#include "bot/channels/json_hook.hpp"
#include "bot/http/client.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <hiredis/hiredis.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <signal.h>
#include <stdexcept>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace daiban::test {

inline std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

inline std::string var_dir() {
    return env_or("DAIBAN_TEST_VAR", DAIBAN_TEST_VAR_DIR);
}

// A command line run by the shell: its exit code and what it printed on stdout and stderr
// together.
struct run_result {
    int code = -1;
    std::string output;
};
inline run_result run_command(const std::string& command_line) {
    const std::string cmd = command_line + " 2>&1";
    run_result r;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[4096];
    while (const auto n = fread(buf, 1, sizeof buf, p))
        r.output.append(buf, n);
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}
// The `daiban` binary run with `args` (a command line, as a shell reads it).
inline run_result run_binary(const std::string& args) {
    return run_command(env_or("DAIBAN_BIN", DAIBAN_BIN_PATH) + " " + args);
}

// The redis-server that CTest's fixture started (tests/redis_fixture.sh).
inline std::string fixture_redis() {
    std::ifstream f(var_dir() + "/redis.addr");
    std::string addr;
    if (!(f >> addr))
        throw std::runtime_error(
            "no redis.addr: run the tests through ctest (fixture redis_start)");
    return addr;
}

inline unsigned short free_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

inline std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline pid_t spawn(const std::vector<std::string>& args,
                   const std::vector<std::string>& env_extra,
                   const std::string& log) {
    const pid_t pid = fork();
    if (pid == 0) {
        // A test that crashes cannot stop what it started: the child dies with it, so no orphan
        // bot keeps claiming the shared Redis's timers and pushes under the next tests.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (const auto& e : env_extra)
            putenv(const_cast<char*>(e.c_str()));
        freopen(log.c_str(), "a", stderr);
        freopen("/dev/null", "w", stdout);
        std::vector<char*> argv;
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

// A redis-server owned by one test (for outage tests), on a port of its own.
class redis_process {
public:
    // `extra`: more redis-server arguments ("--replicaof", "127.0.0.1", "6380").
    explicit redis_process(std::vector<std::string> extra = {})
        : port_(free_port()), extra_(std::move(extra)) {
        start();
    }
    ~redis_process() { stop(); }
    void start() {
        std::vector<std::string> args{env_or("REDIS_SERVER", REDIS_SERVER_PATH),
                                      "--port",
                                      std::to_string(port_),
                                      "--bind",
                                      "127.0.0.1",
                                      "--save",
                                      "",
                                      "--appendonly",
                                      "no"};
        args.insert(args.end(), extra_.begin(), extra_.end());
        pid_ = spawn(args, {}, var_dir() + "/redis-" + std::to_string(port_) + ".log");
        for (int i = 0; i < 100; ++i) {
            if (ping()) return;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("redis-server did not start on port " + std::to_string(port_));
    }
    void stop() {
        if (pid_ <= 0) return;
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    bool ping() const {
        redisContext* c = redisConnect("127.0.0.1", port_);
        bool ok = c && !c->err;
        if (ok) {
            auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
            ok = r && r->type == REDIS_REPLY_STATUS;
            if (r) freeReplyObject(r);
        }
        if (c) redisFree(c);
        return ok;
    }
    std::string address() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }
    unsigned short port() const { return port_; }
    // SIGSTOP / SIGCONT: a server that hangs (still connected, answering nothing).
    void pause(bool paused) const { kill(pid_, paused ? SIGSTOP : SIGCONT); }

private:
    unsigned short port_;
    std::vector<std::string> extra_;
    pid_t pid_ = -1;
};

// Blocking reads of what the bot stored.
class redis_reader {
public:
    explicit redis_reader(const std::string& address) {
        // redis://127.0.0.1:PORT/0
        const auto colon = address.rfind(':');
        const int port = std::atoi(address.c_str() + colon + 1);
        ctx_ = redisConnect("127.0.0.1", port);
        if (!ctx_ || ctx_->err) throw std::runtime_error("cannot connect to " + address);
    }
    ~redis_reader() { redisFree(ctx_); }
    std::optional<std::string> hget(const std::string& key, const std::string& field) {
        auto* r =
            static_cast<redisReply*>(redisCommand(ctx_, "HGET %s %s", key.c_str(), field.c_str()));
        std::optional<std::string> out;
        if (r && r->type == REDIS_REPLY_STRING) out = std::string(r->str, r->len);
        if (r) freeReplyObject(r);
        return out;
    }
    long long zcard(const std::string& key) {
        auto* r = static_cast<redisReply*>(redisCommand(ctx_, "ZCARD %s", key.c_str()));
        long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
        if (r) freeReplyObject(r);
        return v;
    }
    long long ttl(const std::string& key) {
        auto* r = static_cast<redisReply*>(redisCommand(ctx_, "TTL %s", key.c_str()));
        long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -3;
        if (r) freeReplyObject(r);
        return v;
    }

private:
    redisContext* ctx_ = nullptr;
};

// The turns recorded in every conversation of `daiban bench`'s users ("bench_u<n>") in the Redis
// on `port`: what a fault test compares with what bench saw acknowledged.
inline long long bench_turns(unsigned short port) {
    redisContext* c = redisConnect("127.0.0.1", port);
    if (!c || c->err)
        throw std::runtime_error("cannot connect to Redis on " + std::to_string(port));
    long long turns = 0;
    std::string cursor = "0";
    do {
        auto* r = static_cast<redisReply*>(
            redisCommand(c, "SCAN %s MATCH dbn:{demo}:conv:p:bench_u* COUNT 1000", cursor.c_str()));
        if (!r || r->type != REDIS_REPLY_ARRAY) {
            if (r) freeReplyObject(r);
            redisFree(c);
            throw std::runtime_error("SCAN failed on Redis " + std::to_string(port));
        }
        cursor.assign(r->element[0]->str, r->element[0]->len);
        for (std::size_t i = 0; i < r->element[1]->elements; ++i) {
            auto* t = static_cast<redisReply*>(
                redisCommand(c, "HGET %s turns", r->element[1]->element[i]->str));
            if (t && t->type == REDIS_REPLY_STRING) turns += std::atoll(t->str);
            if (t) freeReplyObject(t);
        }
        freeReplyObject(r);
    } while (cursor != "0");
    redisFree(c);
    return turns;
}

// A number in bench's last line ({"sent":N,"ok":N,...}), -1 when absent.
inline long long bench_field(const std::string& json_line, const std::string& name) {
    const auto at = json_line.find("\"" + name + "\":");
    return at == std::string::npos ? -1 : std::atoll(json_line.c_str() + at + name.size() + 3);
}

inline const std::string hook_secret = "integration-test-secret-0123456789";

// The real daiban binary, configured with the demo tenant.
class bot_process {
public:
    // `extra_top` adds top-level settings (",\"outbox\":{...}"), `extra_hook` hook settings
    // (",\"callback_url\":\"...\""), `env` VAR=value entries to the bot's environment (e.g.
    // DAIBAN_TEST_NOW).
    explicit bot_process(std::string redis_address,
                         bool wait_ready = true,
                         std::string extra_http = "",
                         std::string extra_top = "",
                         std::string extra_hook = "",
                         std::vector<std::string> env = {},
                         std::vector<std::string> more_tenants = {})
        : port_(free_port()) {
        const std::string dir = var_dir();
        config_ = dir + "/daiban-" + std::to_string(port_) + ".json";
        log_ = dir + "/daiban-" + std::to_string(port_) + ".log";
        std::ofstream(config_)
            << R"({"listen":"127.0.0.1:)" << port_
            << R"(","redis":)"
            // An address, or the whole {"address": ..., "wait_replicas": ...} object.
            << (redis_address.starts_with('{') ? redis_address : '"' + redis_address + '"')
            << R"(,"threads":2,"log":"info","shutdown_grace_ms":20000,"data_dir":")" << dir
            << "/data-" << port_ << R"(","holidays_dir":")" << DAIBAN_SOURCE_DIR
            << R"(/deploy/holidays",)"
            << R"("http":{"body_limit":65536,"hook_body_limit":3145728)" << extra_http << "}"
            << extra_top << ","
            << R"("tenants":[{"id":"demo","data":")" << DAIBAN_SOURCE_DIR
            << R"(/deploy/tenants/demo","hook":{"secret":")" << hook_secret
            << R"(","max_age_s":300)" << extra_hook << "}}";
        // More tenants with the demo tenant's data under other ids (their keys, other slots).
        for (const auto& id : more_tenants)
            std::ofstream(config_, std::ios::app)
                << R"(,{"id":")" << id << R"(","data":")" << DAIBAN_SOURCE_DIR
                << R"(/deploy/tenants/demo","hook":{"secret":")" << hook_secret
                << R"(","max_age_s":300}})";
        std::ofstream(config_, std::ios::app) << "]}";
        pid_ =
            spawn({env_or("DAIBAN_BIN", DAIBAN_BIN_PATH), "serve", "--config", config_}, env, log_);
        wait_until(wait_ready ? "/readyz" : "/healthz");
    }
    ~bot_process() {
        if (pid_ > 0) stop(SIGKILL);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    const std::string& log_file() const { return log_; }
    // The configuration this bot runs with (for CLI commands pointed at the same deployment).
    const std::string& config_file() const { return config_; }
    // Where this bot stores received documents (config data_dir).
    std::string data_dir() const { return var_dir() + "/data-" + std::to_string(port_); }
    bool alive() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }
    // Sends `sig` and returns the exit status (or 128+signal if killed).
    int stop(int sig = SIGTERM) {
        kill(pid_, sig);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    void wait_until(const std::string& path, int status = 200) const {
        for (int i = 0; i < 200; ++i) {
            try {
                bot::http::client c(url(), 1000);
                if (c.request("GET", path).status == status) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("daiban did not answer " + path + " with " +
                                 std::to_string(status) + "; log: " + log_);
    }

private:
    unsigned short port_;
    pid_t pid_ = -1;
    std::string config_, log_;
};

inline nlohmann::json
text_message(const std::string& id, const std::string& from, const std::string& text) {
    return {{"id", id},
            {"time", now_s()},
            {"chat", {{"type", "private"}, {"id", from}}},
            {"from", {{"id", from}, {"name", "测试居民"}}},
            {"type", "text"},
            {"text", text}};
}

inline bot::http::client_response post_hook(bot::http::client& c,
                                            const std::string& body,
                                            const std::string& secret = hook_secret,
                                            const std::string& tenant = "demo",
                                            const std::string& content_type = "application/json") {
    return c.request("POST", "/hook/" + tenant, body,
                     {{"Content-Type", content_type},
                      {"X-Daiban-Signature", bot::channels::hook_signature(secret, body)}});
}

} // namespace daiban::test
