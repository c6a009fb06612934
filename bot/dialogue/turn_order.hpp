// bot layer, dialogue: one conversation's turns in arrival order across replicas. A turn takes
// its ticket in the conversation's turn queue (state/turn_queue) with its claim, once it holds
// the local lane (state/conversation_store::begin); when another turn of the conversation runs
// (on another replica: this one's lane already waited for its own), it waits here on a Redis
// connection of its own, blocked in BLPOP on its ticket's wake list until the turn before it
// passes it — no polling. Every keys::turn_wait_ms without a wake it looks whether the turn it
// waits for has an owner still alive (owner_lease) and has been served, as far as this waiter has
// seen, less than keys::turn_max_ms; if not, it passes that ticket itself. (Measured by the
// waiter's own clock: no two hosts' clocks are compared.)
#pragma once

#include "state/redis/connection.hpp"
#include "state/turn_queue.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace daiban::bot::dialogue {

class turn_order {
public:
    // `blocking`: how to reach Redis for a connection that waits (the shards' address);
    // `owner`: this process's token (owner_lease).
    turn_order(state::redis::config blocking, std::string owner);

    // Returns once `entered` (a ticket not served when taken) is the conversation's turn.
    // Fails when Redis fails, when the turn was passed over, or after waiting longer than a stuck
    // turn may run (the sender retries).
    boost::asio::awaitable<boost::system::error_code> wait_turn(state::redis::connection& redis,
                                                                const std::string& tenant,
                                                                const std::string& conversation_key,
                                                                state::turn_ticket entered);

    // Passes the ticket on to the next turn (best effort: a failure leaves it to the waiters).
    boost::asio::awaitable<void> end_turn(state::redis::connection& redis,
                                          const std::string& tenant,
                                          const std::string& conversation_key,
                                          std::int64_t ticket);

private:
    state::redis::config blocking_;
    std::string owner_;
};

} // namespace daiban::bot::dialogue
