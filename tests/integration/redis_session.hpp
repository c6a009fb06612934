// Integration test support: a coroutine on a connection of its own to the fixture's
// redis-server, for tests of the stores without the bot.
#pragma once

#include "state/redis/connection.hpp"
#include "support.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <exception>

namespace daiban::test {

// Runs `body(connection)` as a coroutine on a connection to the fixture Redis and waits for it.
template <typename F>
inline void with_connection(F body) {
    boost::asio::io_context ioc;
    daiban::state::redis::config cfg;
    cfg.address = daiban::test::fixture_redis();
    daiban::state::redis::connection conn(ioc.get_executor(), cfg);
    conn.start();
    bool finished = false;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            boost::asio::steady_timer t(ioc);
            for (int i = 0; i < 100 && !conn.connected(); ++i) {
                t.expires_after(std::chrono::milliseconds(20));
                co_await t.async_wait(boost::asio::use_awaitable);
            }
            co_await body(conn);
            finished = true;
            conn.stop();
        },
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    ioc.run();
    REQUIRE(finished);
}

} // namespace daiban::test
