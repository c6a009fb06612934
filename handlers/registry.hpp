// handlers layer: every handler, declared from the intent table (model/intents.hpp), so adding
// an intent is one line there plus the file that defines its handler; handlers/run.cpp calls
// them. (An intent without a job of its own names handle_fallback; declaring it again is fine.)
#pragma once

#include "handlers/context.hpp"
#include "model/intents.hpp"

#include <boost/asio/awaitable.hpp>

namespace daiban::handlers {

#define DAIBAN_DECLARE_HANDLER(name, handler, aud, label, key, phrase, verbs)                      \
    boost::asio::awaitable<void> handler(context&);
DAIBAN_INTENTS(DAIBAN_DECLARE_HANDLER)
#undef DAIBAN_DECLARE_HANDLER

// "没太明白…您是想": what every handler falls back on (no intent of the table names it now).
boost::asio::awaitable<void> handle_fallback(context&);

} // namespace daiban::handlers
