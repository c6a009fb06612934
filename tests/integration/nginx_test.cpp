// Integration: the shipped front for several replicas (deploy/nginx/daiban.conf) in Debian's
// nginx, before two real `daiban serve` on one Redis. nginx accepts the file as it is (only the
// replicas' and its own port changed); it keeps each conversation on one replica (hashing on
// X-Daiban-Chat); and when that replica dies its residents' next messages are answered by the
// other, once each — also with one replica killed under `daiban bench`'s steady load.
#include "common/sha256.hpp"
#include "resident_hook.hpp"
#include "state/keys.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

using namespace daiban::test;

namespace {

const std::string nginx_bin = "/usr/sbin/nginx";

std::string read_file(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

void replace_once(std::string& s, const std::string& from, const std::string& to) {
    const auto at = s.find(from);
    if (at == std::string::npos) throw std::runtime_error("deploy/nginx/daiban.conf: no " + from);
    s.replace(at, from.size(), to);
}

std::string port_of(const bot_process& bot) {
    const auto url = bot.url();
    return url.substr(url.rfind(':') + 1);
}

// nginx with deploy/nginx/daiban.conf, the upstream pointing at `a` and `b`, in the foreground.
class nginx_process {
public:
    nginx_process(const bot_process& a, const bot_process& b) : port_(free_port()) {
        const std::string dir = var_dir() + "/nginx-" + std::to_string(port_);
        std::filesystem::create_directories(dir);
        std::string site = read_file(DAIBAN_SOURCE_DIR "/deploy/nginx/daiban.conf");
        replace_once(site, "server 127.0.0.1:8081", "server 127.0.0.1:" + port_of(a));
        replace_once(site, "server 127.0.0.1:8082", "server 127.0.0.1:" + port_of(b));
        replace_once(site, "listen 8080;", "listen 127.0.0.1:" + std::to_string(port_) + ";");
        std::ofstream(dir + "/daiban.conf") << site;
        conf_ = dir + "/nginx.conf";
        std::ofstream(conf_) << "daemon off;\nworker_processes 1;\npid " << dir
                             << "/nginx.pid;\nerror_log " << dir
                             << "/error.log warn;\nevents { worker_connections 256; }\n"
                             << "http {\n  access_log off;\n  client_body_temp_path " << dir
                             << "/body;\n  proxy_temp_path " << dir << "/proxy;\n  include " << dir
                             << "/daiban.conf;\n}\n";
        startup_log_ = dir + "/startup.log";
    }
    ~nginx_process() {
        if (pid_ > 0) {
            kill(pid_, SIGQUIT);
            waitpid(pid_, nullptr, 0);
        }
    }
    // `nginx -t`: the configuration is valid for this nginx.
    run_result check() const {
        return run_command(nginx_bin + " -t -e " + startup_log_ + " -c " + conf_);
    }
    void start() {
        pid_ = spawn({nginx_bin, "-e", startup_log_, "-c", conf_}, {}, startup_log_);
        for (int i = 0; i < 100; ++i) {
            try {
                daiban::bot::http::client c(url(), 1000);
                if (c.request("GET", "/healthz").status == 200) return;
            } catch (const std::exception&) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        throw std::runtime_error("nginx did not answer; see " + startup_log_);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

private:
    unsigned short port_;
    std::string conf_, startup_log_;
    pid_t pid_ = -1;
};

// A resident's message through nginx, as a bridge sends it (naming its chat).
int send(daiban::bot::http::client& c, const person& p, const std::string& text) {
    const auto body = merged(hook::base(p, "private", p.id, "text"), json{{"text", text}}).dump();
    return c
        .request("POST", "/hook/demo", body,
                 {{"Content-Type", "application/json"},
                  {"X-Daiban-Signature", daiban::bot::channels::hook_signature(hook_secret, body)},
                  {"X-Daiban-Chat", p.id}})
        .status;
}

// How many requests of the resident's conversation a replica logged (conv=<hash> on each line).
int logged(const bot_process& bot, const person& p) {
    const auto conv = "conv=" + daiban::sha256_hex("demo" + std::string("p:") + p.id).substr(0, 12);
    const auto log = read_file(bot.log_file());
    int n = 0;
    for (auto at = log.find(conv); at != std::string::npos; at = log.find(conv, at + 1))
        ++n;
    return n;
}

long long turns_of(const std::string& redis_address, const person& p) {
    redis_reader r(redis_address);
    const auto v = r.hget(daiban::state::keys::conversation("demo", "p:" + p.id), "turns");
    return v ? std::stoll(*v) : 0;
}

} // namespace

TEST_CASE("nginx with deploy/nginx/daiban.conf keeps a conversation on one replica and moves it "
          "when that replica dies",
          "[integration][nginx]") {
    REQUIRE(std::filesystem::exists(nginx_bin)); // deploy/setup.sh installs nginx-light
    const auto redis = fixture_redis();
    auto a = std::make_unique<bot_process>(redis);
    bot_process b(redis);
    nginx_process nginx(*a, b);
    const auto checked = nginx.check();
    INFO(checked.output);
    REQUIRE(checked.code == 0);
    nginx.start();

    // Sixteen residents, three messages each: each conversation's requests all reach one
    // replica, and the residents spread over both (all on one: a 2^-15 chance).
    std::vector<person> residents;
    for (int i = 0; i < 16; ++i)
        residents.push_back({unique("u_nginx") + "-" + std::to_string(i), "住户"});
    daiban::bot::http::client c(nginx.url(), 5000);
    for (const auto& p : residents)
        for (const char* text : {"你好", "我是黄花岭村的", "谢谢"})
            REQUIRE(send(c, p, text) == 200);
    int on_a = 0;
    for (const auto& p : residents) {
        INFO(p.id);
        const int at_a = logged(*a, p), at_b = logged(b, p);
        CHECK(at_a + at_b == 3);
        CHECK((at_a == 0 || at_b == 0));
        on_a += at_a > 0;
    }
    CHECK(on_a > 0);
    CHECK(on_a < 16);

    // Replica A dies. Its residents' next messages are answered (nginx resends to B), each run
    // once: the conversation counts the four turns its resident saw answered.
    std::vector<person> moved;
    for (const auto& p : residents)
        if (logged(*a, p) > 0) moved.push_back(p);
    a->stop(SIGKILL);
    for (const auto& p : moved) {
        INFO(p.id);
        CHECK(send(c, p, "我想办低保") == 200);
        CHECK(logged(b, p) == 1);
        CHECK(turns_of(redis, p) == 4);
    }
}

TEST_CASE("a replica killed -9 behind nginx under daiban bench: nothing acknowledged is lost, "
          "nothing runs twice",
          "[integration][nginx]") {
    REQUIRE(std::filesystem::exists(nginx_bin));
    redis_process redis; // its own: every bench conversation in it is this test's
    auto a = std::make_unique<bot_process>(redis.address());
    bot_process b(redis.address());
    nginx_process nginx(*a, b);
    nginx.start();

    // Eight connections, 200 residents, for 6 s; replica A is killed after 2 s.
    auto bench = std::async(std::launch::async, [&] {
        return run_binary("bench --url " + nginx.url() + " --secret " + hook_secret +
                          " --tenant demo --connections 8 --seconds 6 --conversations 200");
    });
    std::this_thread::sleep_for(std::chrono::seconds(2));
    a->stop(SIGKILL);
    const auto out = bench.get().output;
    const auto last = out.substr(out.rfind('{'));
    const long long sent = bench_field(last, "sent"), ok = bench_field(last, "ok"),
                    errors = bench_field(last, "errors"), turns = bench_turns(redis.port());
    WARN(last << "; turns recorded: " << turns);
    REQUIRE(sent > 0);
    CHECK(ok > 100);
    // Acknowledged means recorded: no turn a sender saw answered went down with replica A. And
    // every 200 carried the bot's reply — a message nginx resent to B after A had recorded it
    // gets the reply A gave, not an empty "duplicate".
    CHECK(turns >= ok);
    CHECK(bench_field(last, "answered") == ok);
    // Each message ran at most once (a message in flight on A may have been recorded and then
    // refused as in progress by B: an error the sender would retry, not a second run).
    CHECK(turns <= ok + errors);
    CHECK(turns <= sent);
}
