// bot layer, dialogue: where a channel hands over a turn (DESIGN §2). `submit` dedupes on the
// platform message id, hops to the conversation's shard, waits for the conversation's earlier
// turns, runs NLU and the handler, saves the conversation state, and returns the replies.
// Channels decide how replies travel (passive reply, "success" + push); handlers never know.
#pragma once

#include "model/turn.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace daiban::bot::dialogue {

struct turn_outcome {
    // The same (tenant, chat, message id) ran and was recorded before: nothing ran this time.
    // The first run's replies are in `replies` when the channel stored them (WeChat returns them
    // to its retry; the JSON hook answers an empty list).
    bool duplicate = false;
    // Another delivery of the same message holds its claim and has not recorded it yet (another
    // replica is working on it, or its process died less than keys::owner_lease_ms ago): nothing
    // ran; the channel must make the sender resend (never answer "done").
    bool in_progress = false;
    std::vector<model::reply> replies;
    std::string intent; // what the NLU understood, for the request log
};

class dispatcher {
public:
    virtual ~dispatcher() = default;
    // Errors: state::errc::redis_unavailable / redis_timeout (the sender should retry: 503).
    // A handler's own failure is not an error: it becomes a polite "please try again" reply.
    virtual boost::asio::awaitable<boost::system::result<turn_outcome>> submit(model::turn t) = 0;
};

} // namespace daiban::bot::dialogue
