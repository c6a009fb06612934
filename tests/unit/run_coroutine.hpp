// Unit test support: runs one coroutine to its end on an io_context of its own and hands back what
// it returned (or rethrows what it threw) — stores and handlers are coroutines, tests are not.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <utility>

namespace daiban::test {

template <typename T>
T run_coroutine(boost::asio::awaitable<T> work) {
    boost::asio::io_context ioc;
    auto done = boost::asio::co_spawn(ioc, std::move(work), boost::asio::use_future);
    ioc.run();
    return done.get();
}

} // namespace daiban::test
