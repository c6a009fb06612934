// state layer: timer_store (see timer_store.hpp).
#include "state/timer_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;

namespace {
using redis::to_int;
std::string text_of(const redis::value& v) {
    return v.as_string().value_or("");
}
} // namespace

asio::awaitable<void> redis_timer_store::schedule(const std::string& tenant, const timer& t) {
    std::vector<std::string> k{keys::timers_due(tenant), keys::timers_inflight(tenant),
                               keys::timer(tenant, t.id), keys::timers_seq(tenant)};
    std::vector<std::string> a{t.id,     std::to_string(t.due_ms), t.kind, t.target, t.channel,
                               t.payload};
    auto r = co_await conn_.eval(scripts::timer_schedule(), std::move(k), std::move(a));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
}

asio::awaitable<std::int64_t> redis_timer_store::cancel(const std::string& tenant,
                                                        std::vector<std::string> ids) {
    std::vector<std::string> k{keys::timers_due(tenant), keys::timers_inflight(tenant),
                               keys::timers_dead(tenant)};
    // Each timer's hash is declared with its id (a Cluster runs only declared keys for sure).
    std::vector<std::string> a;
    for (auto& id : ids) {
        k.push_back(keys::timer(tenant, id));
        a.push_back(std::move(id));
    }
    auto r = co_await conn_.eval(scripts::timer_cancel(), std::move(k), std::move(a));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    co_return r->as_integer().value_or(0);
}

asio::awaitable<std::vector<timer>>
redis_timer_store::claim(const std::string& tenant, std::int64_t now_ms, int limit) {
    // The candidates first, with plain reads: most polls find none and cost no script. The
    // script declares their hashes and checks each again, so of two claimers one gets it.
    const std::string now = std::to_string(now_ms);
    std::vector<redis::command> reads;
    reads.push_back(
        {"ZRANGEBYSCORE", keys::timers_inflight(tenant), "-inf", now, "LIMIT", "0", "100"});
    reads.push_back({"ZRANGEBYSCORE", keys::timers_due(tenant), "-inf", now, "LIMIT", "0",
                     std::to_string(limit)});
    auto found = co_await conn_.exec_many(std::move(reads));
    throw_if_failed(found);
    const auto& expired = (*found)[0];
    const auto& due = (*found)[1];
    if (!expired.is_array() || !due.is_array()) throw_unavailable(errc::unexpected_reply);
    if (expired.elements.empty() && due.elements.empty()) co_return std::vector<timer>{};
    std::vector<std::string> k{keys::timers_due(tenant), keys::timers_inflight(tenant),
                               keys::timers_dead(tenant)};
    std::vector<std::string> a{
        now, std::to_string(policy_.lease_ms), std::to_string(policy_.max_attempts),
        std::to_string(policy_.backoff_base_ms), std::to_string(expired.elements.size())};
    for (const auto* list : {&expired, &due})
        for (const auto& id : list->elements) {
            k.push_back(keys::timer(tenant, id.str));
            a.push_back(id.str);
        }
    auto r = co_await conn_.eval(scripts::timer_claim(), std::move(k), std::move(a));
    throw_if_failed(r);
    if (r->is_error() || !r->is_array()) throw_unavailable(errc::unexpected_reply);
    std::vector<timer> out;
    for (const auto& e : r->elements) {
        if (!e.is_array() || e.elements.size() != 8) throw_unavailable(errc::unexpected_reply);
        timer t;
        t.id = text_of(e.elements[0]);
        t.attempt = e.elements[1].as_integer().value_or(to_int(text_of(e.elements[1])));
        t.kind = text_of(e.elements[2]);
        t.target = text_of(e.elements[3]);
        t.channel = text_of(e.elements[4]);
        t.payload = text_of(e.elements[5]);
        t.due_ms = to_int(text_of(e.elements[6]));
        t.generation = to_int(text_of(e.elements[7]));
        out.push_back(std::move(t));
    }
    co_return out;
}

asio::awaitable<bool> redis_timer_store::settle(const std::string& tenant,
                                                const timer& claimed,
                                                bool done,
                                                std::int64_t now_ms) {
    std::vector<std::string> k{keys::timers_due(tenant), keys::timers_inflight(tenant),
                               keys::timers_dead(tenant), keys::timer(tenant, claimed.id)};
    std::vector<std::string> a{claimed.id,
                               std::to_string(claimed.attempt),
                               done ? "done" : "retry",
                               std::to_string(now_ms),
                               std::to_string(policy_.max_attempts),
                               std::to_string(policy_.backoff_base_ms)};
    auto r = co_await conn_.eval(scripts::timer_settle(), std::move(k), std::move(a));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    co_return r->as_integer().value_or(0) == 1;
}

asio::awaitable<std::optional<timer>> redis_timer_store::find(const std::string& tenant,
                                                              const std::string& id) {
    std::vector<std::string> cmd{"HGETALL", keys::timer(tenant, id)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (!r->is_array()) throw_unavailable(errc::unexpected_reply);
    if (r->elements.empty()) co_return std::optional<timer>{};
    timer t;
    t.id = id;
    for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2) {
        const auto& f = r->elements[i].str;
        const auto& v = r->elements[i + 1].str;
        if (f == "kind")
            t.kind = v;
        else if (f == "target")
            t.target = v;
        else if (f == "channel")
            t.channel = v;
        else if (f == "payload")
            t.payload = v;
        else if (f == "due")
            t.due_ms = to_int(v);
        else if (f == "attempts")
            t.attempt = to_int(v);
        else if (f == "gen")
            t.generation = to_int(v);
    }
    co_return std::optional<timer>{std::move(t)};
}

} // namespace daiban::state
