// state layer: outbox_store (see outbox_store.hpp).
#include "state/outbox_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

namespace {

int to_int(const std::string& s) {
    int v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

// "dbn:{demo}:outbox" -> "demo"
std::string tenant_of_stream(const std::string& stream) {
    const auto open = stream.find('{');
    const auto close = stream.find('}', open);
    if (open == std::string::npos || close == std::string::npos) return {};
    return stream.substr(open + 1, close - open - 1);
}

void decode_entries(const redis::value& list,
                    const std::string& tenant,
                    std::vector<outbox_entry>& out) {
    for (const auto& e : list.elements) {
        outbox_entry entry;
        if (decode_outbox_entry(e, tenant, entry)) out.push_back(std::move(entry));
    }
}

} // namespace

bool decode_outbox_entry(const redis::value& v, const std::string& tenant, outbox_entry& out) {
    // A deleted entry still pending comes back with nil fields (Redis < 7): skip it.
    if (!v.is_array() || v.elements.size() != 2 || !v.elements[1].is_array()) return false;
    out.tenant = tenant;
    out.id = v.elements[0].str;
    const auto& f = v.elements[1].elements;
    for (std::size_t i = 0; i + 1 < f.size(); i += 2) {
        if (f[i].str == "key")
            out.key = f[i + 1].str;
        else if (f[i].str == "payload")
            out.payload = f[i + 1].str;
        else if (f[i].str == "attempt")
            out.attempt = to_int(f[i + 1].str);
    }
    return !out.id.empty() && !out.key.empty();
}

asio::awaitable<result<std::int64_t>> outbox_store::enqueue(const std::string& tenant,
                                                            const std::vector<outbox_item>& items) {
    if (items.empty()) co_return 0;
    std::vector<std::string> k{keys::outbox(tenant)};
    std::vector<std::string> a{std::to_string(keys::outbox_idempotency_ttl_s)};
    for (const auto& it : items) {
        k.push_back(keys::outbox_key(tenant, it.key));
        k.push_back(keys::outbox_sent(tenant, it.key));
        a.push_back(it.key);
        a.push_back(it.payload);
    }
    auto r = co_await conn_.eval(scripts::outbox_enqueue(), std::move(k), std::move(a));
    if (!r) co_return r.error();
    if (auto n = r->as_integer()) co_return *n;
    co_return errc::unexpected_reply;
}

asio::awaitable<result<void>> outbox_store::ensure_group(const std::string& tenant) {
    redis::command c{"XGROUP", "CREATE", keys::outbox(tenant), keys::outbox_group, "0", "MKSTREAM"};
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return r.error();
    if (r->is_error() && !r->str.starts_with("BUSYGROUP")) co_return errc::redis_error_reply;
    co_return result<void>{};
}

asio::awaitable<result<std::vector<outbox_entry>>> outbox_store::read(
    const std::vector<std::string>& tenants, const std::string& consumer, int count, int block_ms) {
    std::vector<outbox_entry> out;
    if (tenants.empty()) co_return out;
    redis::command c{"XREADGROUP",          "GROUP", keys::outbox_group,       consumer, "COUNT",
                     std::to_string(count), "BLOCK", std::to_string(block_ms), "STREAMS"};
    for (const auto& t : tenants)
        c.push_back(keys::outbox(t));
    for (std::size_t i = 0; i < tenants.size(); ++i)
        c.push_back(">");
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return r.error();
    if (r->is_nil()) co_return out; // timed out
    if (r->is_error()) co_return errc::redis_error_reply;
    if (!r->is_array()) co_return errc::unexpected_reply;
    for (const auto& stream : r->elements) {
        if (!stream.is_array() || stream.elements.size() != 2) continue;
        decode_entries(stream.elements[1], tenant_of_stream(stream.elements[0].str), out);
    }
    co_return out;
}

asio::awaitable<result<std::vector<outbox_entry>>> outbox_store::claim_stuck(
    const std::string& tenant, const std::string& consumer, std::int64_t min_idle_ms, int count) {
    std::vector<outbox_entry> out;
    redis::command c{"XAUTOCLAIM", keys::outbox(tenant),        keys::outbox_group,
                     consumer,     std::to_string(min_idle_ms), "0-0",
                     "COUNT",      std::to_string(count)};
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return r.error();
    if (r->is_error()) co_return errc::redis_error_reply;
    if (!r->is_array() || r->elements.size() < 2) co_return errc::unexpected_reply;
    decode_entries(r->elements[1], tenant, out);
    if (out.empty()) co_return out;
    // How often each was handed out before (XPENDING's delivery count, raised by the claim):
    // an entry whose delivery kills its worker every time must not be taken over forever.
    std::vector<redis::command> counts;
    for (const auto& e : out)
        counts.push_back({"XPENDING", keys::outbox(tenant), keys::outbox_group, e.id, e.id, "1"});
    auto pending = co_await conn_.exec_many(std::move(counts));
    if (!pending) co_return pending.error();
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto& p = (*pending)[i]; // [[id, consumer, idle ms, deliveries]]
        if (p.is_array() && p.elements.size() == 1 && p.elements[0].elements.size() == 4)
            out[i].deliveries = static_cast<int>(p.elements[0].elements[3].integer);
    }
    co_return out;
}

asio::awaitable<result<std::int64_t>>
outbox_store::promote_due(const std::string& tenant, std::int64_t now_ms, int limit) {
    std::vector<std::string> k{keys::outbox_delayed(tenant), keys::outbox(tenant)};
    std::vector<std::string> a{std::to_string(now_ms), std::to_string(limit)};
    auto r = co_await conn_.eval(scripts::outbox_promote(), std::move(k), std::move(a));
    if (!r) co_return r.error();
    if (auto n = r->as_integer()) co_return *n;
    co_return errc::unexpected_reply;
}

asio::awaitable<result<bool>> outbox_store::already_sent(const std::string& tenant,
                                                         const std::string& key) {
    redis::command c{"EXISTS", keys::outbox_sent(tenant, key)};
    auto r = co_await conn_.exec(std::move(c));
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    if (auto n = r->as_integer()) co_return *n > 0;
    co_return result<bool>(boost::system::in_place_error, errc::unexpected_reply);
}

asio::awaitable<result<void>> outbox_store::done(const outbox_entry& e) {
    std::vector<std::string> k{keys::outbox(e.tenant), keys::outbox_sent(e.tenant, e.key)};
    std::vector<std::string> a{keys::outbox_group, e.id,
                               std::to_string(keys::outbox_idempotency_ttl_s)};
    auto r = co_await conn_.eval(scripts::outbox_done(), std::move(k), std::move(a));
    if (!r) co_return r.error();
    if (r->is_error()) co_return errc::redis_error_reply;
    co_return result<void>{};
}

asio::awaitable<result<bool>> outbox_store::fail(const outbox_entry& e,
                                                 int attempts,
                                                 int max_attempts,
                                                 std::int64_t due_ms,
                                                 const std::string& reason,
                                                 bool permanent) {
    std::vector<std::string> k{keys::outbox(e.tenant), keys::outbox_delayed(e.tenant),
                               keys::outbox_dead(e.tenant)};
    std::vector<std::string> a{keys::outbox_group,
                               e.id,
                               e.key,
                               e.payload,
                               std::to_string(attempts),
                               std::to_string(max_attempts),
                               std::to_string(due_ms),
                               reason,
                               permanent ? "1" : "0"};
    auto r = co_await conn_.eval(scripts::outbox_fail(), std::move(k), std::move(a));
    if (!r) co_return result<bool>(boost::system::in_place_error, r.error());
    if (r->is_error())
        co_return result<bool>(boost::system::in_place_error, errc::redis_error_reply);
    co_return r->str == "dead";
}

asio::awaitable<result<outbox_depth>> outbox_store::depth(const std::string& tenant) {
    std::vector<redis::command> cmds{{"XLEN", keys::outbox(tenant)},
                                     {"ZCARD", keys::outbox_delayed(tenant)},
                                     {"XLEN", keys::outbox_dead(tenant)}};
    auto r = co_await conn_.exec_many(std::move(cmds));
    if (!r) co_return r.error();
    if (r->size() != 3) co_return errc::unexpected_reply;
    outbox_depth d;
    d.queued = (*r)[0].as_integer().value_or(0);
    d.delayed = (*r)[1].as_integer().value_or(0);
    d.dead = (*r)[2].as_integer().value_or(0);
    co_return d;
}

} // namespace daiban::state
