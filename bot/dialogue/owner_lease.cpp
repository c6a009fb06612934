// bot layer, dialogue: owner_lease (see owner_lease.hpp).
#include "bot/dialogue/owner_lease.hpp"

#include "state/keys.hpp"

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <unistd.h>

namespace daiban::bot::dialogue {

namespace asio = boost::asio;

std::string make_owner_token() {
    char host[64] = {};
    if (gethostname(host, sizeof host - 1) != 0 || !*host) std::snprintf(host, sizeof host, "host");
    // ':' separates the parts; a host name never has one, but keep the token parseable anyway.
    for (char* c = host; *c; ++c)
        if (*c == ':' || *c == ' ') *c = '_';
    const auto start_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    // A pid can come back after a restart (containers start at pid 1): the random part keeps
    // two lifetimes of "pid 1" apart even within one millisecond.
    std::random_device rd;
    char out[160];
    std::snprintf(out, sizeof out, "%s:%d:%lld:%08x", host, static_cast<int>(getpid()),
                  static_cast<long long>(start_ms), rd());
    return out;
}

struct owner_lease::state_t {
    state_t(state::redis::connection& r,
            asio::any_io_executor e,
            std::vector<std::string> t,
            std::string tok)
        : redis(r), ex(std::move(e)), timer(ex), tenants(std::move(t)), token(std::move(tok)) {}
    state::redis::connection& redis;
    asio::any_io_executor ex;
    asio::steady_timer timer;
    std::vector<std::string> tenants;
    std::string token;
    std::atomic<bool> stopped{false};
};

namespace {
asio::awaitable<void> renew(std::shared_ptr<owner_lease::state_t> st) {
    const std::string ms = std::to_string(state::keys::owner_lease_ms);
    while (!st->stopped.load()) {
        std::vector<state::redis::command> cmds;
        for (const auto& t : st->tenants)
            cmds.push_back({"SET", state::keys::owner_lease(t, st->token), "1", "PX", ms});
        // A failure (Redis down, or not connected yet at start-up) is retried soon: the claims
        // this process writes meanwhile fail alike or must not look ownerless for long.
        auto written = co_await st->redis.exec_many(std::move(cmds));
        const bool ok = written.has_value();
        st->timer.expires_after(
            std::chrono::milliseconds(ok ? state::keys::owner_lease_renew_ms : 100));
        boost::system::error_code ec;
        co_await st->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}
} // namespace

owner_lease::owner_lease(state::redis::connection& redis,
                         asio::any_io_executor ex,
                         std::vector<std::string> tenants,
                         std::string token)
    : state_(
          std::make_shared<state_t>(redis, std::move(ex), std::move(tenants), std::move(token))) {}

owner_lease::~owner_lease() {
    stop();
}

const std::string& owner_lease::token() const {
    return state_->token;
}

void owner_lease::start() {
    asio::co_spawn(state_->ex, renew(state_), asio::detached);
}

void owner_lease::stop() {
    if (state_->stopped.exchange(true)) return;
    asio::post(state_->ex, [st = state_] { st->timer.cancel(); });
}

} // namespace daiban::bot::dialogue
