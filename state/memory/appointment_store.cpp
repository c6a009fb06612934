// state layer, in memory: memory_appointment_store (see appointment_store.hpp).
#include "state/memory/appointment_store.hpp"

#include "state/redis/value.hpp"

#include <algorithm>

namespace daiban::state {

namespace asio = boost::asio;
using redis::to_int;

// HGET of the seats taken, 0 when none: reading must not add the slot, since taken() lists
// every slot that has an entry.
int memory_appointment_store::seats_taken(const tenant_appointments& t,
                                          const std::string& office,
                                          const std::string& date,
                                          const std::string& time) {
    const auto slot = t.taken.find({office, date});
    if (slot == t.taken.end()) return 0;
    const auto seat = slot->second.find(time);
    return seat == slot->second.end() ? 0 : seat->second;
}

// appt_book.lua
booking_result memory_appointment_store::do_book(const std::string& tenant,
                                                 const appointment& a,
                                                 int capacity,
                                                 int start_minute,
                                                 std::int64_t now) {
    auto& t = tenants_[tenant];
    if (auto it = t.active.find({a.resident, a.scope}); it != t.active.end())
        return {booking_outcome::already, it->second};
    if (seats_taken(t, a.office, a.date, a.time) >= capacity) return {booking_outcome::full, ""};
    const std::string id = std::to_string(++t.seq);
    ++t.taken[{a.office, a.date}][a.time];
    appointment stored = a;
    stored.id = id;
    stored.status = "active";
    stored.created = now;
    stored.updated = now;
    t.by_id[id] = std::move(stored);
    t.active[{a.resident, a.scope}] = id;
    t.day[a.date].add(id, start_minute);
    t.mine[a.resident].insert(id);
    return {booking_outcome::booked, id};
}

std::vector<appointment>
memory_appointment_store::active_among(const tenant_appointments& t,
                                       const std::vector<std::string>& ids) const {
    std::vector<appointment> out;
    for (const auto& id : ids)
        if (auto it = t.by_id.find(id); it != t.by_id.end() && it->second.status == "active")
            out.push_back(it->second);
    return out;
}

// appt_move.lua, after the Redis store's read of the booking.
booking_result memory_appointment_store::do_move(const std::string& tenant,
                                                 const std::string& id,
                                                 const std::string& resident,
                                                 const std::string& office,
                                                 const std::string& date,
                                                 const std::string& time,
                                                 int capacity,
                                                 int start_minute,
                                                 std::int64_t now) {
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) return {booking_outcome::gone, id};
    auto& t = tit->second;
    auto it = t.by_id.find(id);
    if (it == t.by_id.end() || it->second.status != "active" || it->second.resident != resident)
        return {booking_outcome::gone, id};
    auto& a = it->second;
    if (a.office == office && a.date == date && a.time == time) return {booking_outcome::same, id};
    if (seats_taken(t, office, date, time) >= capacity) return {booking_outcome::full, id};
    // HINCRBY -1 leaves a slot at 0 rather than removing it: taken() shows it so.
    --t.taken[{a.office, a.date}][a.time];
    ++t.taken[{office, date}][time];
    if (auto d = t.day.find(a.date); d != t.day.end()) d->second.remove(id);
    t.day[date].add(id, start_minute);
    a.office = office;
    a.date = date;
    a.time = time;
    a.updated = now;
    return {booking_outcome::booked, id};
}

// appt_cancel.lua, after the Redis store's read of the booking.
booking_result memory_appointment_store::do_cancel(const std::string& tenant,
                                                   const std::string& id,
                                                   const std::string& resident,
                                                   std::int64_t now) {
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) return {booking_outcome::gone, id};
    auto& t = tit->second;
    auto it = t.by_id.find(id);
    if (it == t.by_id.end() || it->second.status != "active" || it->second.resident != resident)
        return {booking_outcome::gone, id};
    auto& a = it->second;
    --t.taken[{a.office, a.date}][a.time];
    if (auto act = t.active.find({resident, a.scope}); act != t.active.end() && act->second == id)
        t.active.erase(act);
    if (auto d = t.day.find(a.date); d != t.day.end()) d->second.remove(id);
    if (auto m = t.mine.find(resident); m != t.mine.end()) m->second.erase(id);
    a.status = "cancelled";
    a.updated = now;
    return {booking_outcome::booked, id};
}

asio::awaitable<booking_result> memory_appointment_store::book(const std::string& tenant,
                                                               const appointment& a,
                                                               int capacity,
                                                               int start_minute,
                                                               std::int64_t now) {
    co_return do_book(tenant, a, capacity, start_minute, now);
}

asio::awaitable<std::optional<appointment>>
memory_appointment_store::find(const std::string& tenant, const std::string& id) {
    std::optional<appointment> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        if (auto it = tit->second.by_id.find(id); it != tit->second.by_id.end()) out = it->second;
    co_return out;
}

asio::awaitable<std::vector<appointment>>
memory_appointment_store::active_of(const std::string& tenant, const std::string& resident) {
    std::vector<appointment> out;
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) co_return out;
    if (auto m = tit->second.mine.find(resident); m != tit->second.mine.end())
        out = active_among(tit->second, {m->second.begin(), m->second.end()});
    std::sort(out.begin(), out.end(), [](const appointment& x, const appointment& y) {
        return to_int(x.id) < to_int(y.id);
    });
    co_return out;
}

asio::awaitable<std::vector<appointment>>
memory_appointment_store::on_date(const std::string& tenant, const std::string& date) {
    std::vector<appointment> out;
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) co_return out;
    if (auto d = tit->second.day.find(date); d != tit->second.day.end()) {
        std::vector<std::string> ids;
        for (const auto& e : d->second.all())
            ids.push_back(e.member);
        out = active_among(tit->second, ids);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const appointment& x, const appointment& y) { return x.time < y.time; });
    co_return out;
}

asio::awaitable<std::map<std::string, int>> memory_appointment_store::taken(
    const std::string& tenant, const std::string& office, const std::string& date) {
    std::map<std::string, int> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        if (auto it = tit->second.taken.find({office, date}); it != tit->second.taken.end())
            out = it->second;
    co_return out;
}

asio::awaitable<std::map<std::string, std::map<std::string, int>>>
memory_appointment_store::taken_on(const std::string& tenant,
                                   const std::string& office,
                                   const std::vector<std::string>& dates) {
    // Every date asked for has an entry, empty when nothing is booked (as the Redis store
    // answers).
    std::map<std::string, std::map<std::string, int>> out;
    const auto tit = tenants_.find(tenant);
    for (const auto& d : dates) {
        auto& day = out[d];
        if (tit == tenants_.end()) continue;
        if (auto it = tit->second.taken.find({office, d}); it != tit->second.taken.end())
            day = it->second;
    }
    co_return out;
}

asio::awaitable<booking_result> memory_appointment_store::move(const std::string& tenant,
                                                               const std::string& id,
                                                               const std::string& resident,
                                                               const std::string& office,
                                                               const std::string& date,
                                                               const std::string& time,
                                                               int capacity,
                                                               int start_minute,
                                                               std::int64_t now) {
    co_return do_move(tenant, id, resident, office, date, time, capacity, start_minute, now);
}

asio::awaitable<booking_result> memory_appointment_store::cancel(const std::string& tenant,
                                                                 const std::string& id,
                                                                 const std::string& resident,
                                                                 std::int64_t now) {
    co_return do_cancel(tenant, id, resident, now);
}

} // namespace daiban::state
