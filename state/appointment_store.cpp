// state layer: appointment_store (see appointment_store.hpp).
#include "state/appointment_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace daiban::state {

namespace asio = boost::asio;

namespace {
using redis::to_int;
// Retries of a move/cancel whose booking changed between our read and the script.
constexpr int max_stale_retries = 5;
} // namespace

appointment decode_appointment(const redis::value& v) {
    appointment a;
    for (std::size_t i = 0; i + 1 < v.elements.size(); i += 2) {
        const auto& k = v.elements[i].str;
        const auto& val = v.elements[i + 1].str;
        if (k == "id")
            a.id = val;
        else if (k == "resident")
            a.resident = val;
        else if (k == "channel")
            a.channel = val;
        else if (k == "service")
            a.service = val;
        else if (k == "scope")
            a.scope = val;
        else if (k == "office")
            a.office = val;
        else if (k == "date")
            a.date = val;
        else if (k == "time")
            a.time = val;
        else if (k == "status")
            a.status = val;
        else if (k == "created")
            a.created = to_int(val);
        else if (k == "updated")
            a.updated = to_int(val);
    }
    return a;
}

asio::awaitable<booking_result> redis_appointment_store::book(const std::string& tenant,
                                                              const appointment& a,
                                                              int capacity,
                                                              int start_minute,
                                                              std::int64_t now) {
    // The new appointment's hash is declared, so its id is read first (the sequence + 1) and the
    // script takes it only if it is still the next one ("moved": read again).
    std::optional<redis::value> r;
    for (int attempt = 0;; ++attempt) {
        redis::command read{"GET", keys::appointment_seq(tenant)};
        auto seq = co_await conn_.exec(std::move(read));
        throw_if_failed(seq);
        const std::string id = std::to_string(redis::to_int(seq->str) + 1);
        std::vector<std::string> k{keys::appointment_seq(tenant),
                                   keys::appointment_taken(tenant, a.office, a.date),
                                   keys::appointment_active(tenant, a.resident, a.scope),
                                   keys::appointment_day(tenant, a.date),
                                   keys::appointment_mine(tenant, a.resident),
                                   keys::appointment(tenant, id)};
        std::vector<std::string> args{id,
                                      a.resident,
                                      a.channel,
                                      a.service,
                                      a.scope,
                                      a.office,
                                      a.date,
                                      a.time,
                                      std::to_string(capacity),
                                      std::to_string(start_minute),
                                      std::to_string(now)};
        auto got = co_await conn_.eval(scripts::appt_book(), std::move(k), std::move(args));
        throw_if_failed(got);
        if (got->is_error() || !got->is_array() || got->elements.size() != 2)
            throw_unavailable(errc::unexpected_reply);
        if (got->elements[0].str != "moved") {
            r = std::move(*got);
            break;
        }
        if (attempt == 50) throw_unavailable(errc::redis_timeout);
    }
    const auto& status = r->elements[0].str;
    booking_result out;
    out.id = r->elements[1].as_string().value_or("");
    if (status == "ok")
        out.outcome = booking_outcome::booked;
    else if (status == "already")
        out.outcome = booking_outcome::already;
    else if (status == "full")
        out.outcome = booking_outcome::full;
    else
        throw_unavailable(errc::unexpected_reply);
    co_return out;
}

asio::awaitable<std::optional<appointment>> redis_appointment_store::find(const std::string& tenant,
                                                                          const std::string& id) {
    std::vector<std::string> cmd{"HGETALL", keys::appointment(tenant, id)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (!r->is_array()) throw_unavailable(errc::unexpected_reply);
    if (r->elements.empty()) co_return std::optional<appointment>{};
    co_return std::optional<appointment>{decode_appointment(*r)};
}

namespace {
// The active appointments among the ids `list_ids` returns (an index may still name a cancelled
// one), fetched in one pipeline.
asio::awaitable<std::vector<appointment>>
load_active(redis::connection& conn, const std::string& tenant, redis::command list_ids) {
    auto ids = co_await conn.exec(std::move(list_ids));
    throw_if_failed(ids);
    if (!ids->is_array()) throw_unavailable(errc::unexpected_reply);
    std::vector<redis::command> cmds;
    for (const auto& id : ids->elements)
        cmds.push_back({"HGETALL", keys::appointment(tenant, id.str)});
    std::vector<appointment> out;
    if (cmds.empty()) co_return out;
    auto rs = co_await conn.exec_many(std::move(cmds));
    throw_if_failed(rs);
    for (const auto& v : *rs) {
        if (!v.is_array() || v.elements.empty()) continue;
        auto a = decode_appointment(v);
        if (a.status == "active") out.push_back(std::move(a));
    }
    co_return out;
}
} // namespace

asio::awaitable<std::vector<appointment>>
redis_appointment_store::active_of(const std::string& tenant, const std::string& resident) {
    std::vector<std::string> cmd{"SMEMBERS", keys::appointment_mine(tenant, resident)};
    auto out = co_await load_active(conn_, tenant, std::move(cmd));
    std::sort(out.begin(), out.end(), [](const appointment& x, const appointment& y) {
        return to_int(x.id) < to_int(y.id);
    });
    co_return out;
}

asio::awaitable<std::vector<appointment>>
redis_appointment_store::on_date(const std::string& tenant, const std::string& date) {
    std::vector<std::string> cmd{"ZRANGE", keys::appointment_day(tenant, date), "0", "-1"};
    auto out = co_await load_active(conn_, tenant, std::move(cmd));
    std::stable_sort(out.begin(), out.end(),
                     [](const appointment& x, const appointment& y) { return x.time < y.time; });
    co_return out;
}

asio::awaitable<std::map<std::string, int>> redis_appointment_store::taken(
    const std::string& tenant, const std::string& office, const std::string& date) {
    std::vector<std::string> cmd{"HGETALL", keys::appointment_taken(tenant, office, date)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (!r->is_array()) throw_unavailable(errc::unexpected_reply);
    std::map<std::string, int> out;
    for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2)
        out[r->elements[i].str] = static_cast<int>(to_int(r->elements[i + 1].str));
    co_return out;
}

asio::awaitable<std::map<std::string, std::map<std::string, int>>>
redis_appointment_store::taken_on(const std::string& tenant,
                                  const std::string& office,
                                  const std::vector<std::string>& dates) {
    std::map<std::string, std::map<std::string, int>> out;
    if (dates.empty()) co_return out;
    std::vector<redis::command> cmds;
    for (const auto& d : dates)
        cmds.push_back({"HGETALL", keys::appointment_taken(tenant, office, d)});
    auto rs = co_await conn_.exec_many(std::move(cmds));
    throw_if_failed(rs);
    if (rs->size() != dates.size()) throw_unavailable(errc::unexpected_reply);
    for (std::size_t k = 0; k < dates.size(); ++k) {
        const auto& r = (*rs)[k];
        if (!r.is_array()) throw_unavailable(errc::unexpected_reply);
        auto& day = out[dates[k]];
        for (std::size_t i = 0; i + 1 < r.elements.size(); i += 2)
            day[r.elements[i].str] = static_cast<int>(to_int(r.elements[i + 1].str));
    }
    co_return out;
}

asio::awaitable<booking_result> redis_appointment_store::move(const std::string& tenant,
                                                              const std::string& id,
                                                              const std::string& resident,
                                                              const std::string& office,
                                                              const std::string& date,
                                                              const std::string& time,
                                                              int capacity,
                                                              int start_minute,
                                                              std::int64_t now) {
    for (int attempt = 0; attempt < max_stale_retries; ++attempt) {
        auto cur = co_await find(tenant, id);
        if (!cur || cur->status != "active" || cur->resident != resident)
            co_return booking_result{booking_outcome::gone, id};
        const auto& c = *cur;
        std::vector<std::string> k{
            keys::appointment(tenant, id), keys::appointment_taken(tenant, c.office, c.date),
            keys::appointment_taken(tenant, office, date), keys::appointment_day(tenant, c.date),
            keys::appointment_day(tenant, date)};
        std::vector<std::string> a{id,
                                   resident,
                                   c.office,
                                   c.date,
                                   c.time,
                                   office,
                                   date,
                                   time,
                                   std::to_string(capacity),
                                   std::to_string(start_minute),
                                   std::to_string(now)};
        auto r = co_await conn_.eval(scripts::appt_move(), std::move(k), std::move(a));
        throw_if_failed(r);
        const auto s = r->as_string().value_or("");
        if (s == "stale") continue;
        if (s == "ok") co_return booking_result{booking_outcome::booked, id};
        if (s == "full") co_return booking_result{booking_outcome::full, id};
        if (s == "same") co_return booking_result{booking_outcome::same, id};
        if (s == "gone") co_return booking_result{booking_outcome::gone, id};
        throw_unavailable(errc::unexpected_reply);
    }
    throw_unavailable(errc::unexpected_reply);
}

asio::awaitable<booking_result> redis_appointment_store::cancel(const std::string& tenant,
                                                                const std::string& id,
                                                                const std::string& resident,
                                                                std::int64_t now) {
    for (int attempt = 0; attempt < max_stale_retries; ++attempt) {
        auto cur = co_await find(tenant, id);
        if (!cur || cur->status != "active" || cur->resident != resident)
            co_return booking_result{booking_outcome::gone, id};
        const auto& c = *cur;
        std::vector<std::string> k{
            keys::appointment(tenant, id), keys::appointment_taken(tenant, c.office, c.date),
            keys::appointment_active(tenant, resident, c.scope),
            keys::appointment_day(tenant, c.date), keys::appointment_mine(tenant, resident)};
        std::vector<std::string> a{id, resident, c.office, c.date, c.time, std::to_string(now)};
        auto r = co_await conn_.eval(scripts::appt_cancel(), std::move(k), std::move(a));
        throw_if_failed(r);
        const auto s = r->as_string().value_or("");
        if (s == "stale") continue;
        if (s == "ok") co_return booking_result{booking_outcome::booked, id};
        if (s == "gone") co_return booking_result{booking_outcome::gone, id};
        throw_unavailable(errc::unexpected_reply);
    }
    throw_unavailable(errc::unexpected_reply);
}

} // namespace daiban::state
