// state layer: conversation state and message de-duplication (keys: see state/keys.hpp).
// A turn is claimed, its conversation loaded and its ticket in the conversation's turn queue
// (state/turn_queue) taken in one round trip (begin), and recorded by one script (finish,
// turn_commit.lua, fenced by the ticket and passing it on); if the handler fails in between,
// `abandon` releases the claim so the sender's retry runs the turn again. Nothing accepted is lost:
// a claim names its owner (a process token whose liveness lease, keys::owner_lease, the process
// renews), so a resend that finds a claim never committed is told "in progress" while the owner
// lives and takes the claim over once the owner's lease is gone (it died between begin and finish).
// Only a committed turn is a duplicate.
#pragma once

#include "model/conversation.hpp"
#include "state/redis/connection.hpp"
#include "state/turn_queue.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace daiban::state {

struct turn_claim {
    // The turn was committed before: nothing runs; `stored` is what the first run stored.
    bool duplicate = false;
    // Another delivery holds the claim and its owner is alive: nothing runs; the sender must
    // resend later (it gets the committed turn's answer, or takes the claim over if that
    // delivery dies).
    bool in_progress = false;
    // This delivery took over a claim whose owner died without committing (for the log).
    bool taken_over = false;
    std::string stored;
    model::conversation conversation; // for a turn to run (neither duplicate nor in progress)
    // The turn's place in the conversation's turn queue: taken by every delivery, duplicate or
    // not, and passed on when the turn ends (finish, or turn_queue::pass).
    turn_ticket ticket;
    // This delivery holds the claim: it runs the turn, and must finish or abandon it.
    bool ours() const { return !duplicate && !in_progress; }
};

class conversation_store {
public:
    // `owner`: this process's token (bot/dialogue/owner_lease), written into its claims; "" for
    // users that only read (village) or record nothing.
    explicit conversation_store(redis::connection& conn, std::string owner = {})
        : conn_(conn), owner_(std::move(owner)) {}

    // Call with the conversation's lane held: a pending claim of this very owner is then known
    // to be left over by a run that ended without committing, and is taken over. When the
    // claim's ticket is not yet served (another replica runs a turn of the conversation), wait
    // for it (bot/dialogue/turn_order) and then look_again.
    boost::asio::awaitable<boost::system::result<turn_claim>>
    begin(const std::string& tenant,
          const std::string& chat_id,
          const std::string& message_id,
          const std::string& conversation_key);

    // After waiting for the turns ahead: the conversation as they left it, and for a claim that
    // was in progress elsewhere, what became of it (recorded: a duplicate; its owner died: ours).
    boost::asio::awaitable<boost::system::error_code>
    look_again(const std::string& tenant,
               const std::string& chat_id,
               const std::string& message_id,
               const std::string& conversation_key,
               turn_claim& claim);

    // `stored` is what a duplicate delivery will be answered with (non-empty; e.g. replies JSON).
    // `ticket`: the turn's place in the conversation's turn queue (state/turn_queue), the fencing
    // token: once it is no longer served nothing is written and errc::turn_fenced is returned;
    // recorded, the ticket is passed on to the next turn (no turn_queue::pass needed). 0: not
    // fenced (tests of the claim alone).
    // Only the fields that differ from `before` (the state `begin` loaded) are written.
    // Returns the conversation's turn count.
    boost::asio::awaitable<boost::system::result<std::int64_t>>
    finish(const std::string& tenant,
           const std::string& chat_id,
           const std::string& message_id,
           const std::string& conversation_key,
           const model::conversation& before,
           const model::conversation& c,
           const std::string& stored,
           std::int64_t ticket = 0);

    // The village the conversation remembers ("" when none).
    boost::asio::awaitable<boost::system::result<std::string>>
    village(const std::string& tenant, const std::string& conversation_key);

    // Releases this owner's claim (never another's that took it over meanwhile).
    boost::asio::awaitable<void>
    abandon(const std::string& tenant, const std::string& chat_id, const std::string& message_id);

private:
    std::string pending_value() const;
    // SET NX the claim, GET it, HGETALL the conversation: the replies settle reads.
    std::vector<redis::command> claim_commands(const std::string& seen,
                                               const std::string& tenant,
                                               const std::string& conversation_key) const;
    // Those three commands in one write, outside a transaction (a second look).
    boost::asio::awaitable<boost::system::result<std::vector<redis::value>>> read_claim(
        const std::string& seen, const std::string& tenant, const std::string& conversation_key);
    // What those replies mean for `claim`: ours (conversation loaded), a duplicate, in progress
    // elsewhere, or taken over from a dead owner; looks once more if the claim changed meanwhile.
    boost::asio::awaitable<boost::system::error_code> settle(const std::string& tenant,
                                                             const std::string& seen,
                                                             const std::string& conversation_key,
                                                             std::vector<redis::value> replies,
                                                             turn_claim& claim);
    // True when decided (taken over, or in progress: its owner lives); false: changed meanwhile.
    boost::asio::awaitable<boost::system::result<bool>>
    take_over(const std::string& tenant,
              const std::string& seen,
              const std::string& found,
              const std::string& conversation_key,
              turn_claim& claim);
    boost::asio::awaitable<boost::system::result<model::conversation>>
    load(const std::string& tenant, const std::string& conversation_key);

    redis::connection& conn_;
    std::string owner_;
};

// Encoding of the conversation hash, exposed for tests.
model::conversation decode_conversation(const redis::value& hgetall_reply);

} // namespace daiban::state
