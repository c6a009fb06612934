// bot layer, timers: timer_worker (see timer_worker.hpp).
#include "bot/timers/timer_worker.hpp"

#include "bot/log.hpp"

#include <boost/asio.hpp>

namespace daiban::bot::timers {

namespace asio = boost::asio;

struct timer_worker::state_t {
    std::vector<std::string> tenants;
    dialogue::dispatcher& dispatcher;
    replies::push_sink& sink;
    const handlers::clock& clock;
    timer_worker_options options;
    std::atomic<bool> stopped{false};
};

std::string firing_id(const state::timer& t) {
    return "timer:" + t.id + "@" + std::to_string(t.due_ms) + "#" + std::to_string(t.generation);
}

model::turn timer_turn(const std::string& tenant, const state::timer& t) {
    model::turn turn;
    turn.tenant = tenant;
    turn.channel = "timer";
    // One firing = one message id: a retry of the same firing is deduplicated by the dispatcher;
    // a re-armed timer (a new generation) is a new firing, even at the same due time.
    turn.id = firing_id(t);
    turn.time = t.due_ms / 1000;
    turn.chat = {model::chat_kind::private_chat, t.target};
    turn.from_id = t.target;
    turn.kind = model::turn_kind::event;
    turn.event = model::event_ref{"timer", t.kind + "|" + t.payload};
    return turn;
}

namespace {

using state_ptr = std::shared_ptr<timer_worker::state_t>;

asio::awaitable<void> fire(state_ptr st, shard* sh, std::string tenant, state::timer t) {
    bool done = false;
    std::size_t sent = 0;
    try {
        auto outcome = co_await st->dispatcher.submit(timer_turn(tenant, t));
        if (!outcome) {
            log::warn("event=timer_failed tenant=" + tenant + " id=" + t.id +
                      " error=" + outcome.error().message());
        } else if (outcome->in_progress) {
            // The same firing is still running elsewhere or its process died mid-turn (taken
            // over once that process's lease is gone): try again later.
        } else {
            std::vector<replies::push> pushes;
            for (auto& r : outcome->replies) {
                replies::push p;
                p.tenant = tenant;
                p.channel = t.channel.empty() ? "hook" : t.channel;
                p.idempotency_key = firing_id(t) + ":" + std::to_string(pushes.size());
                p.reply = std::move(r);
                pushes.push_back(std::move(p));
            }
            if (st->options.shape_pushes && !pushes.empty())
                pushes = co_await st->options.shape_pushes(sh->redis, std::move(pushes),
                                                           st->clock.now());
            sent = pushes.size();
            if (pushes.empty()) {
                done = true;
            } else {
                auto queued = co_await st->sink.enqueue(std::move(pushes));
                done = bool(queued);
                if (!queued)
                    log::warn("event=timer_push_failed tenant=" + tenant + " id=" + t.id +
                              " error=" + queued.error().message());
            }
        }
    } catch (const std::exception& e) {
        log::error("event=timer_exception tenant=" + tenant + " id=" + t.id + " what=\"" +
                   e.what() + "\"");
    }
    state::redis_timer_store store(sh->redis, st->options.policy);
    // Not settled: Redis failed (the lease runs out and the firing is retried), or the timer was
    // re-armed meanwhile — by this very firing for standing timers like the deadline patrol, which
    // is expected — or taken over after a lost lease.
    std::string settle_note;
    try {
        const bool settled = co_await store.settle(tenant, t, done, st->clock.now_ms());
        if (!settled) settle_note = " settle=superseded";
    } catch (const state::store_unavailable&) {
        settle_note = " settle=error";
    }
    log::audit("event=timer_fired tenant=" + tenant + " id=" + t.id + " kind=" + t.kind +
               " attempt=" + std::to_string(t.attempt) + " outcome=" + (done ? "done" : "retry") +
               " pushes=" + std::to_string(sent) + settle_note);
}

asio::awaitable<void> claim_loop(state_ptr st, shard* sh) {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer tick(ex);
    state::redis_timer_store store(sh->redis, st->options.policy);
    // Standing timers: shard 0 arms them once (any replica may; arming is idempotent).
    bool seeded = sh->index != 0 || st->options.seeds.empty();
    while (!st->stopped.load()) {
        if (!seeded && sh->redis.connected()) {
            seeded = true;
            for (const auto& tenant : st->tenants)
                for (const auto& seed : st->options.seeds) {
                    try {
                        co_await seed(sh->redis, tenant, st->clock.now_ms());
                    } catch (const state::store_unavailable&) {
                        seeded = false; // try again next tick
                    }
                }
        }
        for (const auto& tenant : st->tenants) {
            if (st->stopped.load() || !sh->redis.connected()) break;
            std::vector<state::timer> claimed;
            try {
                claimed = co_await store.claim(tenant, st->clock.now_ms(), st->options.claim_batch);
            } catch (const state::store_unavailable&) {
                continue; // Redis trouble: the next tick tries again
            }
            for (auto& t : claimed)
                asio::co_spawn(ex, fire(st, sh, tenant, std::move(t)), asio::detached);
        }
        tick.expires_after(st->options.poll_interval);
        co_await tick.async_wait(asio::as_tuple(asio::use_awaitable));
    }
}

} // namespace

timer_worker::timer_worker(shard_set& shards,
                           std::vector<std::string> tenant_ids,
                           dialogue::dispatcher& dispatcher,
                           replies::push_sink& sink,
                           const handlers::clock& clock,
                           timer_worker_options options)
    : shards_(shards),
      state_(new state_t{std::move(tenant_ids), dispatcher, sink, clock, options, {}}) {}

timer_worker::~timer_worker() {
    stop();
}

void timer_worker::start() {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        auto* sh = &shards_.at(i);
        asio::co_spawn(sh->ioc, claim_loop(state_, sh), asio::detached);
    }
}

void timer_worker::stop() {
    state_->stopped.store(true);
}

} // namespace daiban::bot::timers
