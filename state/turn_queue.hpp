// state layer: a conversation's turn queue (keys::turn_queue) — a ticket lock in Redis that runs
// one conversation's turns one at a time and in arrival order across every replica, so that two
// `daiban serve` behind a balancer that does not hash on the conversation still never run two of
// its turns at once or out of order. Inside one process the conversation's lane already orders
// them (bot/dialogue/conversation_lanes); the queue orders the processes.
//
// A turn takes a ticket (enter); the ticket being served runs; the others wait to be woken by a
// push on their wake list (BLPOP on a connection of their own: bot/dialogue/turn_order), never by
// polling. When a turn ends its ticket is passed and the next woken. A ticket whose owner died
// (its owner lease lapsed) or that has been served longer than keys::turn_max_ms is passed by its
// waiter. The ticket is also the fencing token: a turn passed that way cannot record its outcome
// (turn_commit.lua refuses it), so a stalled process never overwrites a later turn.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace daiban::state {

struct turn_ticket {
    std::int64_t ticket = 0;
    std::int64_t serving = 0;  // the ticket whose turn runs now
    std::string serving_owner; // the owner token that took it ("" when gone)
    std::int64_t serving_since_ms = 0;
    bool mine() const { return ticket == serving; }
};

class turn_queue {
public:
    explicit turn_queue(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<boost::system::result<turn_ticket>>
    enter(const std::string& tenant,
          const std::string& conversation_key,
          const std::string& owner,
          std::int64_t now_ms);

    // Where the queue stands now, for the holder of `ticket`.
    boost::asio::awaitable<boost::system::result<turn_ticket>>
    look(const std::string& tenant, const std::string& conversation_key, std::int64_t ticket);

    // Ends `ticket`'s turn (or passes a dead one); true if it was the one being served.
    boost::asio::awaitable<boost::system::result<bool>> pass(const std::string& tenant,
                                                             const std::string& conversation_key,
                                                             std::int64_t ticket,
                                                             std::int64_t now_ms);

    // Whether the process `owner` still renews its lease (bot/dialogue/owner_lease).
    boost::asio::awaitable<boost::system::result<bool>> owner_alive(const std::string& tenant,
                                                                    const std::string& owner);

private:
    redis::connection& conn_;
};

} // namespace daiban::state
