// bot layer, outbound: the outbox and its workers (see outbox.hpp).
#include "bot/outbound/outbox.hpp"

#include "bot/json_text.hpp"
#include "bot/log.hpp"
#include "bot/outbound/access_token.hpp"
#include "bot/outbound/delivery.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/replies/codec.hpp"
#include "state/outbox_store.hpp"

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <thread>
#include <unistd.h>

namespace daiban::bot::outbound {

namespace asio = boost::asio;
using boost::system::result;
using nlohmann::json;

std::string encode_push(const replies::push& p) {
    // Written directly, the reply by the one codec (bot/replies/codec.hpp).
    std::string out = R"({"tenant":)";
    append_json_string(out, p.tenant);
    out += R"(,"channel":)";
    append_json_string(out, p.channel);
    out += R"(,"key":)";
    append_json_string(out, p.idempotency_key);
    out += R"(,"reply":)";
    if (p.encoded_reply.empty())
        out += replies::encode_reply(p.reply);
    else
        out += p.encoded_reply; // made once by to_pushes
    out += '}';
    return out;
}

std::optional<replies::push> decode_push(std::string_view payload) {
    auto j = json::parse(payload, nullptr, false);
    if (!j.is_object() || !j.contains("reply")) return std::nullopt;
    replies::push p;
    p.tenant = j.value("tenant", "");
    p.channel = j.value("channel", "");
    p.idempotency_key = j.value("key", "");
    auto reply = replies::reply_from_json(j["reply"]);
    if (!reply || p.tenant.empty() || p.channel.empty()) return std::nullopt;
    p.reply = std::move(*reply);
    return p;
}

std::chrono::milliseconds backoff(int failures, int base_ms, int max_ms) {
    double ms = base_ms;
    for (int i = 1; i < failures && ms < max_ms; ++i)
        ms *= 2;
    ms = std::min<double>(ms, max_ms);
    thread_local std::minstd_rand rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.8, 1.2);
    return std::chrono::milliseconds(static_cast<long long>(ms * jitter(rng)));
}

namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return "host";
    return buf;
}

} // namespace

struct outbox::worker {
    outbox& box;
    shard& sh;
    std::string consumer;
    state::redis::connection conn;
    http_client http;
    access_tokens tokens;
    deliverer delivery;
    std::atomic<bool> stopping{false};
    std::atomic<bool> finished{false};

    static state::redis::config redis_config(const config& cfg) {
        state::redis::config rc;
        rc.address = cfg.redis;
        // The blocking read holds the connection for block_ms: the command timeout must exceed it.
        rc.command_timeout = std::chrono::milliseconds(cfg.outbox.block_ms + 2000);
        return rc;
    }

    worker(outbox& b, shard& s)
        : box(b), sh(s),
          consumer(host_name() + "-" + std::to_string(getpid()) + "-" + std::to_string(s.index)),
          conn(s.ioc.get_executor(), redis_config(b.cfg_)),
          http(s.ioc.get_executor(),
               http_client_options{std::chrono::milliseconds(b.cfg_.outbox.http_timeout_ms)}),
          tokens(conn, http, consumer), delivery(b.cfg_, &b.tenants_, conn, http, tokens) {}

    std::vector<std::string> tenant_ids() const {
        std::vector<std::string> ids;
        for (const auto& t : box.cfg_.tenants)
            ids.push_back(t.id);
        return ids;
    }

    asio::awaitable<void> pause(std::chrono::milliseconds d) {
        asio::steady_timer t(co_await asio::this_coro::executor);
        t.expires_after(d);
        co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    }

    asio::awaitable<void> process(const state::outbox_entry& e) {
        state::outbox_store store(conn);
        const auto& oc = box.cfg_.outbox;
        auto sent = co_await store.already_sent(e.tenant, e.key);
        if (!sent) co_return; // Redis trouble: the entry stays pending and is taken over later
        if (*sent) {
            // Delivered before a crash or a redelivery: acknowledge without sending again.
            (void)co_await store.done(e);
            ++box.counters_.skipped_sent;
            co_return;
        }
        auto p = decode_push(e.payload);
        if (!p) {
            (void)co_await store.fail(e, e.attempt + 1, oc.max_attempts, 0, "undecodable payload",
                                      true);
            ++box.counters_.dead;
            co_return;
        }
        const auto res = co_await delivery.deliver(*p);
        using outcome = delivery_result::outcome;
        if (!res.follow_ups.empty()) {
            std::vector<state::outbox_item> items;
            for (const auto& f : res.follow_ups)
                items.push_back({f.idempotency_key, encode_push(f)});
            auto q = co_await store.enqueue(e.tenant, items);
            if (!q)
                log::error("event=outbox_follow_up_lost tenant=" + e.tenant + " detail=\"" +
                           q.error().message() + "\"");
        }
        const std::string what = "tenant=" + e.tenant + " channel=" + p->channel + " key=" + e.key;
        switch (res.what) {
        case outcome::sent: {
            auto d = co_await store.done(e);
            if (!d)
                log::warn("event=outbox_ack_failed " + what + " detail=\"" + d.error().message() +
                          "\"");
            ++box.counters_.sent;
            log::info("event=push_sent " + what + " attempt=" + std::to_string(e.attempt + 1));
            break;
        }
        case outcome::defer: {
            (void)co_await store.fail(e, e.attempt, oc.max_attempts, now_ms() + res.after.count(),
                                      res.reason, false);
            log::info("event=push_deferred " + what + " reason=\"" + res.reason + "\"");
            break;
        }
        case outcome::retry:
        case outcome::permanent: {
            const int failures = e.attempt + 1;
            const bool permanent = res.what == outcome::permanent;
            const auto due =
                now_ms() + backoff(failures, oc.backoff_base_ms, oc.backoff_max_ms).count();
            auto dead =
                co_await store.fail(e, failures, oc.max_attempts, due, res.reason, permanent);
            if (dead && *dead) {
                ++box.counters_.dead;
                log::error("event=push_dead_lettered " + what + " attempts=" +
                           std::to_string(failures) + " reason=\"" + res.reason + "\"");
            } else {
                ++box.counters_.retried;
                log::warn("event=push_failed " + what + " attempt=" + std::to_string(failures) +
                          " reason=\"" + res.reason + "\"");
            }
            break;
        }
        }
    }

    asio::awaitable<void> refresh_depth(const std::vector<std::string>& tenants) {
        state::outbox_store store(conn);
        for (const auto& t : tenants) {
            auto d = co_await store.depth(t);
            if (!d) co_return;
            std::lock_guard lock(box.depth_mutex_);
            box.depth_[t] = {d->queued, d->delayed, d->dead};
        }
    }

    asio::awaitable<void> run() {
        conn.start();
        const auto tenants = tenant_ids();
        const auto& oc = box.cfg_.outbox;
        state::outbox_store store(conn);
        // Groups first; Redis may still be coming up.
        for (std::size_t i = 0; i < tenants.size() && !stopping;) {
            auto g = co_await store.ensure_group(tenants[i]);
            if (g)
                ++i;
            else
                co_await pause(std::chrono::milliseconds(200));
        }
        const std::int64_t claim_every = std::min<std::int64_t>(oc.claim_idle_ms / 2, 5000);
        std::int64_t last_claim = 0, last_depth = 0;
        while (!stopping) {
            const auto now = now_ms();
            for (const auto& t : tenants)
                (void)co_await store.promote_due(t, now, 100);
            if (now - last_claim >= claim_every) {
                last_claim = now;
                for (const auto& t : tenants) {
                    auto stuck = co_await store.claim_stuck(t, consumer, oc.claim_idle_ms, 16);
                    if (!stuck) continue;
                    for (const auto& e : *stuck) {
                        if (stopping) break;
                        ++box.counters_.claimed;
                        log::warn("event=push_taken_over tenant=" + e.tenant + " key=" + e.key +
                                  " consumer=" + consumer +
                                  " deliveries=" + std::to_string(e.deliveries));
                        // Each takeover means a worker took the entry and never settled it (a
                        // crash, a kill): past max_attempts of those, it is a poison entry.
                        if (e.deliveries > oc.max_attempts) {
                            const std::string why = "taken over " + std::to_string(e.deliveries) +
                                                    " times: no worker ever finished delivering it";
                            (void)co_await store.fail(e, e.attempt, oc.max_attempts, 0, why, true);
                            ++box.counters_.dead;
                            log::error("event=push_dead_lettered tenant=" + e.tenant +
                                       " key=" + e.key + " reason=\"" + why + "\"");
                            continue;
                        }
                        co_await process(e);
                    }
                }
            }
            if (sh.index == 0 && now - last_depth >= 1000) {
                last_depth = now;
                co_await refresh_depth(tenants);
            }
            if (stopping) break;
            auto got = co_await store.read(tenants, consumer, 16, oc.block_ms);
            if (!got) {
                if (stopping) break;
                // NOGROUP after Redis lost its data (or a stream was deleted): create it again.
                if (got.error() == state::errc::redis_error_reply)
                    for (const auto& t : tenants)
                        (void)co_await store.ensure_group(t);
                co_await pause(std::chrono::milliseconds(200));
                continue;
            }
            for (const auto& e : *got) {
                // Once stopping, what was read stays pending; a later worker takes it over.
                if (stopping) break;
                co_await process(e);
            }
        }
        finished = true;
    }
};

outbox::outbox(shard_set& shards, const config& cfg, const tenant_registry& tenants)
    : shards_(shards), cfg_(cfg), tenants_(tenants) {}

outbox::~outbox() {
    // A worker that did not finish in time still has a coroutine on its shard's io_context,
    // which the shards destroy later: leaving the worker alive until exit is the safe choice.
    for (auto& w : workers_)
        if (w && !w->finished) (void)w.release();
}

asio::awaitable<result<void>> outbox::enqueue(std::vector<replies::push> pushes) {
    std::map<std::string, std::vector<state::outbox_item>> by_tenant;
    for (const auto& p : pushes)
        by_tenant[p.tenant].push_back({p.idempotency_key, encode_push(p)});
    for (auto& [tenant, items] : by_tenant) {
        auto& sh = shards_.owner(tenant);
        auto run = [&sh, tenant,
                    items = std::move(items)]() -> asio::awaitable<result<std::int64_t>> {
            state::outbox_store store(sh.redis);
            co_return co_await store.enqueue(tenant, items);
        };
        auto n = co_await asio::co_spawn(sh.ioc, std::move(run), asio::use_awaitable);
        if (!n) co_return n.error();
        counters_.enqueued += static_cast<std::uint64_t>(*n);
    }
    co_return result<void>{};
}

void outbox::start() {
    for (std::size_t i = 0; i < shards_.size(); ++i) {
        auto& sh = shards_.at(i);
        workers_.push_back(std::make_unique<worker>(*this, sh));
        asio::co_spawn(sh.ioc, workers_.back()->run(), asio::detached);
    }
}

void outbox::stop(std::chrono::milliseconds grace) {
    for (auto& w : workers_) {
        w->stopping = true;
        // Closing the worker's own connection ends a blocking read at once.
        asio::post(w->sh.ioc, [wp = w.get()] { wp->conn.stop(); });
    }
    const auto deadline = std::chrono::steady_clock::now() + grace;
    for (auto& w : workers_)
        while (!w->finished && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::size_t unfinished = 0;
    for (auto& w : workers_)
        unfinished += w->finished ? 0 : 1;
    log::info("event=outbox_stopped unfinished_workers=" + std::to_string(unfinished));
}

void outbox::render_metrics(std::string& out) const {
    std::lock_guard lock(depth_mutex_);
    out += "# TYPE daiban_outbox_depth gauge\n";
    for (const auto& [tenant, d] : depth_) {
        out += "daiban_outbox_depth{tenant=\"" + tenant + "\",state=\"queued\"} " +
               std::to_string(d[0]) + "\n";
        out += "daiban_outbox_depth{tenant=\"" + tenant + "\",state=\"delayed\"} " +
               std::to_string(d[1]) + "\n";
        out += "daiban_outbox_depth{tenant=\"" + tenant + "\",state=\"dead\"} " +
               std::to_string(d[2]) + "\n";
    }
    auto counter = [&out](const char* name, std::uint64_t v) {
        out += std::string("# TYPE ") + name + " counter\n" + name + " " + std::to_string(v) + "\n";
    };
    counter("daiban_outbox_enqueued_total", counters_.enqueued.load());
    counter("daiban_outbox_sent_total", counters_.sent.load());
    counter("daiban_outbox_retried_total", counters_.retried.load());
    counter("daiban_outbox_dead_lettered_total", counters_.dead.load());
    counter("daiban_outbox_taken_over_total", counters_.claimed.load());
    counter("daiban_outbox_already_sent_total", counters_.skipped_sent.load());
}

} // namespace daiban::bot::outbound
