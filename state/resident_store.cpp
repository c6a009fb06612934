// state layer: resident_store (see resident_store.hpp).
#include "state/resident_store.hpp"

#include "state/keys.hpp"

#include <algorithm>
#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;

void read_profile_field(resident_profile& p, std::string_view k, std::string_view v) {
    if (k == "village")
        p.village = v;
    else if (k == "name")
        p.name = v;
    else if (k == "channel")
        p.channel = v;
    else if (k == "chat")
        p.chat = v;
    else if (k == "awaiting_rating")
        std::from_chars(v.data(), v.data() + v.size(), p.awaiting_rating);
    else if (k == "awaiting_ticket_rating")
        std::from_chars(v.data(), v.data() + v.size(), p.awaiting_ticket_rating);
}

asio::awaitable<resident_profile> redis_resident_store::get(const std::string& tenant,
                                                            const std::string& resident) {
    redis::command cmd{"HGETALL", keys::resident(tenant, resident)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    resident_profile p;
    for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2) {
        const auto& k = r->elements[i].str;
        const auto& v = r->elements[i + 1].str;
        read_profile_field(p, k, v);
    }
    co_return p;
}

asio::awaitable<void> redis_resident_store::set(const std::string& tenant,
                                                const std::string& resident,
                                                const std::string& field,
                                                const std::string& value) {
    redis::command cmd{"HSET", keys::resident(tenant, resident), field, value};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    if (field != "village" || value.empty()) co_return;
    // The index only grows (a resident who moves stays filed under the old village too):
    // in_village reads each profile back, so a stale entry costs a read, never a wrong roster.
    redis::command index{"SADD", keys::residents_by_village(tenant, value), resident};
    auto x = co_await conn_.exec(std::move(index));
    throw_if_failed(x);
    if (x->is_error()) throw_unavailable(errc::redis_error_reply);
}

asio::awaitable<std::vector<std::string>>
redis_resident_store::in_village(const std::string& tenant, const std::string& village) {
    redis::command cmd{"SMEMBERS", keys::residents_by_village(tenant, village)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    std::vector<std::string> filed;
    for (const auto& e : r->elements)
        filed.push_back(e.str);
    std::sort(filed.begin(), filed.end());
    std::vector<std::string> out;
    for (const auto& resident : filed) {
        redis::command now{"HGET", keys::resident(tenant, resident), "village"};
        auto v = co_await conn_.exec(std::move(now));
        throw_if_failed(v);
        if (v->is_error()) throw_unavailable(errc::redis_error_reply);
        if (v->str == village) out.push_back(resident);
    }
    co_return out;
}

asio::awaitable<void> redis_resident_store::touch(const std::string& tenant,
                                                  const std::string& resident,
                                                  const resident_profile& p) {
    redis::command cmd{
        "HSET", keys::resident(tenant, resident), "channel", p.channel, "chat", p.chat, "name",
        p.name};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
}

} // namespace daiban::state
