// handlers layer: intent name -> the handler that does that job (one file per job).
#pragma once

#include "handlers/context.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace daiban::handlers {

using handler_fn = boost::asio::awaitable<void> (*)(context&);

// The handler for an intent; unknown intents (and `unknown`) get the fallback, which asks.
handler_fn find_handler(std::string_view intent_name);

// Declared here, defined one per file.
boost::asio::awaitable<void> handle_help(context&);
boost::asio::awaitable<void> handle_fallback(context&);
// Appointments (appointments.cpp).
boost::asio::awaitable<void> handle_book_appointment(context&);
boost::asio::awaitable<void> handle_reschedule_appointment(context&);
boost::asio::awaitable<void> handle_cancel_appointment(context&);
// A durable timer firing (timers.cpp): turn.channel == "timer", turn.event = {"timer", key}.
boost::asio::awaitable<void> handle_timer(context&);

} // namespace daiban::handlers
