// bot layer, dialogue: turn_order (see turn_order.hpp).
#include "bot/dialogue/turn_order.hpp"

#include "bot/log.hpp"
#include "state/keys.hpp"
#include "state/turn_queue.hpp"

#include <boost/asio.hpp>

#include <chrono>
#include <memory>

namespace daiban::bot::dialogue {

namespace asio = boost::asio;

namespace {

// This process's monotonic ms (not the handlers' clock, which tests may hold still).
std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// A connection for BLPOP, which would hold up every other command on a shared one.
asio::awaitable<std::unique_ptr<state::redis::connection>> open_blocking(state::redis::config cfg) {
    const auto ex = co_await asio::this_coro::executor;
    cfg.command_timeout =
        std::chrono::milliseconds(state::keys::turn_wait_ms) + std::chrono::seconds(2);
    cfg.on_health = {};
    auto conn = std::make_unique<state::redis::connection>(ex, std::move(cfg));
    conn->start();
    asio::steady_timer wait(ex);
    for (int i = 0; i < 40 && !conn->connected(); ++i) { // connecting takes ~1 ms on a LAN
        wait.expires_after(std::chrono::milliseconds(25));
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    }
    co_return conn;
}

} // namespace

turn_order::turn_order(state::redis::config blocking, std::string owner)
    : blocking_(std::move(blocking)), owner_(std::move(owner)) {}

asio::awaitable<boost::system::error_code> turn_order::wait_turn(state::redis::connection& redis,
                                                                 const std::string& tenant,
                                                                 const std::string& conv,
                                                                 state::turn_ticket entered) {
    state::turn_queue queue(redis);
    // Who holds the turn being served (the ticket was taken without asking).
    auto first = co_await queue.look(tenant, conv, entered.ticket);
    if (!first) co_return first.error();
    state::turn_ticket t = *first;

    // Another turn of this conversation runs elsewhere. Wait for it, not forever.
    const auto give_up = steady_ms() + 2 * state::keys::turn_max_ms;
    std::int64_t watched = t.serving, watched_since = steady_ms();
    std::unique_ptr<state::redis::connection> blocking;
    while (!t.mine()) {
        if (t.serving > t.ticket) {
            // A waiter behind this turn found it stalled past the bounds and passed it.
            log::warn("event=turn_passed_over tenant=" + tenant +
                      " ticket=" + std::to_string(t.ticket));
            co_return state::errc::turn_fenced;
        }
        const auto now = steady_ms();
        if (now > give_up) {
            log::warn("event=turn_wait_gave_up tenant=" + tenant + " ticket=" +
                      std::to_string(t.ticket) + " serving=" + std::to_string(t.serving));
            co_return state::errc::redis_timeout;
        }
        if (t.serving != watched) { // the queue moved: a new turn is served from about now
            watched = t.serving;
            watched_since = now;
        }
        // A ticket of this very process that is not ours is left over: this process runs one
        // turn of a conversation at a time (the lane), and that turn is this one. (Its pass
        // failed — Redis away, or the slot migrating.)
        bool pass_it = t.serving_owner.empty() || t.serving_owner == owner_ ||
                       now - watched_since > state::keys::turn_max_ms;
        if (!pass_it) {
            auto alive = co_await queue.owner_alive(tenant, t.serving_owner);
            if (!alive) co_return alive.error();
            pass_it = !*alive;
        }
        if (pass_it) {
            log::warn("event=turn_passed tenant=" + tenant +
                      " ticket=" + std::to_string(t.serving) + " owner=" + t.serving_owner +
                      " detail=\"its owner is gone or it ran too long; the next turn runs\"");
            auto passed = co_await queue.pass(tenant, conv, t.serving);
            if (!passed) co_return passed.error();
        } else {
            if (!blocking) blocking = co_await open_blocking(blocking_);
            state::redis::command pop{"BLPOP", state::keys::turn_wake(tenant, conv, t.ticket),
                                      std::to_string(double(state::keys::turn_wait_ms) / 1000.0)};
            auto woken = co_await blocking->exec(std::move(pop));
            if (!woken) co_return woken.error();
        }
        auto again = co_await queue.look(tenant, conv, t.ticket);
        if (!again) co_return again.error();
        t = *again;
    }
    if (blocking) blocking->stop();
    co_return boost::system::error_code{};
}

asio::awaitable<void> turn_order::end_turn(state::redis::connection& redis,
                                           const std::string& tenant,
                                           const std::string& conv,
                                           std::int64_t ticket) {
    state::turn_queue queue(redis);
    // Retried for a few seconds (a failover, a slot in migration): a replica's next turn waits
    // for this pass. After that the waiter passes it itself once the bounds say so.
    const auto ex = co_await asio::this_coro::executor;
    auto pause = std::chrono::milliseconds(20);
    for (int attempt = 0;; ++attempt) {
        auto passed = co_await queue.pass(tenant, conv, ticket);
        if (passed) co_return;
        if (attempt == 8) {
            log::warn("event=turn_pass_failed tenant=" + tenant + " error=\"" +
                      passed.error().message() + "\" detail=\"the next turn's waiter passes it\"");
            co_return;
        }
        asio::steady_timer wait(ex, pause);
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
        pause = std::min(pause * 2, std::chrono::milliseconds(1000));
    }
}

} // namespace daiban::bot::dialogue
