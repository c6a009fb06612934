// handlers layer: every handler, declared; one file per job defines it. The intent table
// (model/intents.hpp) says which intent each one serves; handlers/run.cpp calls them.
#pragma once

#include "handlers/context.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace daiban::handlers {

// Declared here, defined one per file.
boost::asio::awaitable<void> handle_help(context&);
boost::asio::awaitable<void> handle_fallback(context&);
// Appointments (appointments.cpp).
boost::asio::awaitable<void> handle_book_appointment(context&);
boost::asio::awaitable<void> handle_reschedule_appointment(context&);
boost::asio::awaitable<void> handle_cancel_appointment(context&);
// A durable timer firing (timers.cpp): turn.channel == "timer", turn.event = {"timer", key}.
boost::asio::awaitable<void> handle_timer(context&);

// Cases (issue 5): guide answers, residents and villages, cases, materials, agent commands.
boost::asio::awaitable<void> handle_ask_materials(context&);
boost::asio::awaitable<void> handle_ask_process(context&);
boost::asio::awaitable<void> handle_bind_village(context&);
boost::asio::awaitable<void> handle_open_case(context&);
boost::asio::awaitable<void> handle_query_progress(context&);
boost::asio::awaitable<void> handle_cancel_case(context&);
boost::asio::awaitable<void> handle_contact_agent(context&);
boost::asio::awaitable<void> handle_rate(context&);
boost::asio::awaitable<void> handle_submit_material(context&);
boost::asio::awaitable<void> handle_agent_command(context&);
// `unknown` and turns without words: photos and files (materials), QR scans and subscriptions
// (village binding), a bare rating; anything else goes to the fallback.
boost::asio::awaitable<void> handle_unrouted(context&);

} // namespace daiban::handlers
