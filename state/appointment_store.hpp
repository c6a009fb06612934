// state layer: appointments at a service hall (keys in state/keys.hpp). Booking, moving and
// cancelling are each one Lua script: a seat is counted against the slot's capacity in the same
// step that records the booking, and a resident holds at most one active booking per scope (the
// case it is for). Callers pass the time; stores never read a clock.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace daiban::state {

struct appointment {
    std::string id;
    std::string resident; // the resident's platform id
    std::string channel;  // where the resident is reached (hook | wechat | wecom)
    std::string service;  // catalogue id
    std::string scope;    // one active booking per (resident, scope): the case id, else service
    std::string office;   // office id
    std::string date;     // YYYY-MM-DD
    std::string time;     // HH:MM, the slot's start
    std::string status;   // active | cancelled
    std::int64_t created = 0;
    std::int64_t updated = 0;
};

enum class booking_outcome {
    booked,  // done
    already, // the resident already holds an active booking for this scope (id given)
    full,    // no seat left in that slot
    gone,    // (move/cancel) the booking is not active any more, or not the resident's
    same,    // (move) it is already at that slot
};

struct booking_result {
    booking_outcome outcome = booking_outcome::booked;
    std::string id;
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails,
// and nothing else: callers read plain values.
class appointment_store {
public:
    virtual ~appointment_store() = default;

    // Books `a` (its id and status are ignored) into a slot of `capacity` seats starting at
    // `start_minute` (minutes after local midnight, for the day list's order).
    virtual boost::asio::awaitable<booking_result> book(const std::string& tenant,
                                                        const appointment& a,
                                                        int capacity,
                                                        int start_minute,
                                                        std::int64_t now) = 0;
    virtual boost::asio::awaitable<std::optional<appointment>> find(const std::string& tenant,
                                                                    const std::string& id) = 0;
    // The resident's active bookings, oldest first.
    virtual boost::asio::awaitable<std::vector<appointment>>
    active_of(const std::string& tenant, const std::string& resident) = 0;
    // Bookings on a date (active only), in time order.
    virtual boost::asio::awaitable<std::vector<appointment>> on_date(const std::string& tenant,
                                                                     const std::string& date) = 0;
    // Seats taken per slot start ("09:00" -> 2) at an office on a date.
    virtual boost::asio::awaitable<std::map<std::string, int>>
    taken(const std::string& tenant, const std::string& office, const std::string& date) = 0;
    // taken() for several dates at once (one round trip): date -> ("09:00" -> seats).
    virtual boost::asio::awaitable<std::map<std::string, std::map<std::string, int>>>
    taken_on(const std::string& tenant,
             const std::string& office,
             const std::vector<std::string>& dates) = 0;
    // Moves booking `id` of `resident` to another slot (free the old seat, take the new: one
    // step). Outcomes: booked, full, gone, same.
    virtual boost::asio::awaitable<booking_result> move(const std::string& tenant,
                                                        const std::string& id,
                                                        const std::string& resident,
                                                        const std::string& office,
                                                        const std::string& date,
                                                        const std::string& time,
                                                        int capacity,
                                                        int start_minute,
                                                        std::int64_t now) = 0;
    // Cancels booking `id` of `resident`, freeing its seat. Outcomes: booked (= cancelled), gone.
    virtual boost::asio::awaitable<booking_result> cancel(const std::string& tenant,
                                                          const std::string& id,
                                                          const std::string& resident,
                                                          std::int64_t now) = 0;
};

// The store on Redis (the production one).
class redis_appointment_store final : public appointment_store {
public:
    explicit redis_appointment_store(redis::connection& conn) : conn_(conn) {}

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
    redis::connection& conn_;
};

// Decoding of the appointment hash (HGETALL), exposed for tests.
appointment decode_appointment(const redis::value& hgetall_reply);

} // namespace daiban::state
