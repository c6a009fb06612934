// state layer: a conversation's turn queue (keys::turn_queue, keys::turn_owners) — a ticket lock
// in Redis that runs one conversation's turns one at a time and in arrival order across every
// replica, so that two `daiban serve` behind a balancer that does not hash on the conversation
// still never run two of its turns at once or out of order. Inside one process the
// conversation's lane already orders them (bot/dialogue/conversation_lanes); the queue orders the
// processes.
//
// A turn takes a ticket by pushing its owner token on the queue's owners list: with the last
// ended ticket (`done`) read in the same transaction, the list's length says which ticket it
// took. This is plain commands, so the turn's first write (conversation_store::begin) carries
// them at no round trip and no script of their own: the common case, nobody else at the
// conversation, costs a few microseconds of Redis. Ticket done+1 runs; the others wait to be
// woken by a push on their wake list (BLPOP on a connection of their own: bot/dialogue/
// turn_order), never by polling. When a turn ends its ticket is passed (turn_commit.lua with the
// record, or turn_pass.lua) and the next woken. A ticket whose owner died (its owner lease lapsed)
// or that its waiter has seen served longer than keys::turn_max_ms is passed by that waiter. The
// ticket is also the fencing token: a turn passed that way cannot record its outcome
// (turn_commit.lua refuses it), so a stalled process never overwrites a later turn.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace daiban::state {

struct turn_ticket {
    std::int64_t ticket = 0;
    std::int64_t serving = 0;  // the ticket whose turn runs now
    std::string serving_owner; // the owner token that took it ("" when unknown or gone)
    bool mine() const { return ticket == serving; }
};

class turn_queue {
public:
    explicit turn_queue(redis::connection& conn) : conn_(conn) {}

    // The commands that take a ticket for the process `owner`, to be sent inside a MULTI/EXEC
    // (the ticket is only right if nothing runs between them); their replies, in order, go to
    // read_enter. The caller's transaction may hold other commands before or after them.
    static void append_enter(std::vector<redis::command>& transaction,
                             const std::string& tenant,
                             const std::string& conversation_key,
                             const std::string& owner);
    static constexpr std::size_t enter_commands = 3;
    // The ticket those commands took, from their enter_commands replies starting at `first`.
    static boost::system::result<turn_ticket> read_enter(const std::vector<redis::value>& replies,
                                                         std::size_t first);

    // Where the queue stands now, for the holder of `ticket`.
    boost::asio::awaitable<boost::system::result<turn_ticket>>
    look(const std::string& tenant, const std::string& conversation_key, std::int64_t ticket);

    // Ends `ticket`'s turn (or passes a dead one); true if it was the one being served.
    boost::asio::awaitable<boost::system::result<bool>>
    pass(const std::string& tenant, const std::string& conversation_key, std::int64_t ticket);

    // Whether the process `owner` still renews its lease (bot/dialogue/owner_lease).
    boost::asio::awaitable<boost::system::result<bool>> owner_alive(const std::string& tenant,
                                                                    const std::string& owner);

private:
    redis::connection& conn_;
};

} // namespace daiban::state
