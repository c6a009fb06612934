// state layer: conversation state and message de-duplication (keys: see state/keys.hpp).
// A turn is claimed and its conversation loaded in one round trip (begin), and recorded in one
// MULTI/EXEC transaction (finish); if the handler fails in between, `abandon` releases the claim so
// the sender's retry runs the turn again. Nothing accepted is lost: a crash between begin and
// finish leaves a claim that expires after keys::seen_pending_ttl_s.
#pragma once

#include "model/conversation.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace daiban::state {

struct turn_claim {
    bool duplicate = false;
    std::string stored; // for a duplicate: what the first delivery stored ("" = not finished yet)
    model::conversation conversation; // for a new turn
};

class conversation_store {
public:
    explicit conversation_store(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<boost::system::result<turn_claim>>
    begin(const std::string& tenant,
          const std::string& chat_id,
          const std::string& message_id,
          const std::string& conversation_key);

    // `stored` is what a duplicate delivery will be answered with (non-empty; e.g. replies JSON).
    // Only the fields that differ from `before` (the state `begin` loaded) are written.
    // Returns the conversation's turn count.
    boost::asio::awaitable<boost::system::result<std::int64_t>>
    finish(const std::string& tenant,
           const std::string& chat_id,
           const std::string& message_id,
           const std::string& conversation_key,
           const model::conversation& before,
           const model::conversation& c,
           const std::string& stored);

    // The village the conversation remembers ("" when none).
    boost::asio::awaitable<boost::system::result<std::string>>
    village(const std::string& tenant, const std::string& conversation_key);

    boost::asio::awaitable<void>
    abandon(const std::string& tenant, const std::string& chat_id, const std::string& message_id);

private:
    redis::connection& conn_;
};

// Encoding of the conversation hash, exposed for tests.
model::conversation decode_conversation(const redis::value& hgetall_reply);

} // namespace daiban::state
