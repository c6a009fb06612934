// state layer, in memory: appointment_store without Redis, for handler unit tests. Seats per slot,
// one active booking per (resident, scope), the day index and the resident's set follow the Lua
// scripts (state/lua/appt_*.lua) step by step, so callers get the same ids, outcomes and orders.
// Single-threaded: every call completes before its coroutine first returns, so the "stale" retry
// of the Redis store (a booking changed between its read and its script) never arises.
#pragma once

#include "state/appointment_store.hpp"
#include "state/memory/sorted_set.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace daiban::state {

class memory_appointment_store final : public appointment_store {
public:
    boost::asio::awaitable<booking_result> book(const std::string& tenant,
                                                const appointment& a,
                                                int capacity,
                                                int start_minute,
                                                std::int64_t now) override;
    boost::asio::awaitable<std::optional<appointment>> find(const std::string& tenant,
                                                            const std::string& id) override;
    boost::asio::awaitable<std::vector<appointment>>
    active_of(const std::string& tenant, const std::string& resident) override;
    boost::asio::awaitable<std::vector<appointment>> on_date(const std::string& tenant,
                                                             const std::string& date) override;
    boost::asio::awaitable<std::map<std::string, int>>
    taken(const std::string& tenant, const std::string& office, const std::string& date) override;
    boost::asio::awaitable<std::map<std::string, std::map<std::string, int>>>
    taken_on(const std::string& tenant,
             const std::string& office,
             const std::vector<std::string>& dates) override;
    boost::asio::awaitable<booking_result> move(const std::string& tenant,
                                                const std::string& id,
                                                const std::string& resident,
                                                const std::string& office,
                                                const std::string& date,
                                                const std::string& time,
                                                int capacity,
                                                int start_minute,
                                                std::int64_t now) override;
    boost::asio::awaitable<booking_result> cancel(const std::string& tenant,
                                                  const std::string& id,
                                                  const std::string& resident,
                                                  std::int64_t now) override;

private:
    using seats = std::map<std::string, int>; // slot start "HH:MM" -> seats taken
    // One tenant's keys (state/keys.hpp, "Appointments").
    struct tenant_appointments {
        std::int64_t seq = 0;
        std::map<std::string, appointment> by_id;
        std::map<std::pair<std::string, std::string>, seats> taken; // (office, date)
        std::map<std::pair<std::string, std::string>, std::string>
            active;                                        // (resident, scope) -> id
        std::map<std::string, memory::sorted_set> day;     // date -> ids by start minute
        std::map<std::string, std::set<std::string>> mine; // resident -> active ids
    };

    static int seats_taken(const tenant_appointments& t,
                           const std::string& office,
                           const std::string& date,
                           const std::string& time);
    booking_result do_book(const std::string& tenant,
                           const appointment& a,
                           int capacity,
                           int start_minute,
                           std::int64_t now);
    // The active bookings among `ids` (an index may name one no longer active).
    std::vector<appointment> active_among(const tenant_appointments& t,
                                          const std::vector<std::string>& ids) const;
    booking_result do_move(const std::string& tenant,
                           const std::string& id,
                           const std::string& resident,
                           const std::string& office,
                           const std::string& date,
                           const std::string& time,
                           int capacity,
                           int start_minute,
                           std::int64_t now);
    booking_result do_cancel(const std::string& tenant,
                             const std::string& id,
                             const std::string& resident,
                             std::int64_t now);

    std::map<std::string, tenant_appointments> tenants_;
};

} // namespace daiban::state
