// bot layer: the composition root of `daiban serve`: config -> shards, tenants, dispatcher,
// routes, server; signals (SIGTERM/SIGINT: drain and exit 0; SIGHUP: reload tenant data).
#pragma once

#include "bot/config.hpp"

namespace daiban::bot {

// Runs the server until a stop signal; returns the process exit code.
int run_server(const config& cfg);

} // namespace daiban::bot
