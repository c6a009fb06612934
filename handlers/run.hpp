// handlers layer: the one way into handlers. The dispatcher (bot/dialogue) has claimed the turn,
// loaded the conversation and had the NLU read it; `run` decides what answers: a group message
// carrying personal details gets the privacy warning whoever it was for; a group message not
// addressed to the bot (no @, no open question, no agent command) gets nothing; everything else
// goes to its intent's handler (model/intents.hpp binds each intent to one).
#pragma once

#include "handlers/context.hpp"

#include <boost/asio/awaitable.hpp>

namespace daiban::handlers {

boost::asio::awaitable<void> run(context& ctx);

} // namespace daiban::handlers
