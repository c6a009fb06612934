// Integration test support: a coroutine on a connection of its own to the fixture's
// redis-server, for tests of the stores without the bot.
#pragma once

#include "state/keys.hpp"
#include "state/redis/connection.hpp"
#include "support.hpp"

#include <boost/asio.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <string>
#include <unistd.h>

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

// A tenant no other test or run uses: `prefix`-<pid>-<now>-<n>.
inline std::string fresh_tenant(const std::string& prefix) {
    static int n = 0;
    return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(now_s()) + "-" +
           std::to_string(++n);
}

// Makes the process `owner` alive (its lease set for a minute) or dead (no lease), as
// bot/dialogue/owner_lease would: what claims and turn queues judge other replicas by.
inline boost::asio::awaitable<void> set_owner_lease(daiban::state::redis::connection& conn,
                                                    const std::string& tenant,
                                                    const std::string& owner,
                                                    bool alive) {
    daiban::state::redis::command cmd =
        alive
            ? daiban::state::redis::command{"SET", daiban::state::keys::owner_lease(tenant, owner),
                                            "1", "PX", "60000"}
            : daiban::state::redis::command{"DEL", daiban::state::keys::owner_lease(tenant, owner)};
    auto r = co_await conn.exec(std::move(cmd));
    REQUIRE(r.has_value());
}

} // namespace daiban::test
