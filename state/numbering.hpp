// state layer: the numbers of cases and tickets. A record opened once per source message gets the
// next number of its counter; its keys are made from that number, and a Lua script must declare
// every key it touches (a Cluster runs only declared keys for sure). So the opener reads first —
// the number the source message already opened, and the counter — and its script takes the next
// number only if the counter has not moved meanwhile (open_case.lua, ticket_open.lua); if it has,
// the opener reads again. Numbers stay gapless: none is taken by a refused or repeated open.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace daiban::state {

struct number_read {
    std::optional<std::int64_t> opened; // the number the source message already opened
    std::int64_t next = 1;              // else the number the next record gets
};

// One round trip (GET source, GET counter); throws store_unavailable when Redis fails.
boost::asio::awaitable<number_read> read_next_number(redis::connection& conn,
                                                     const std::string& source_key,
                                                     const std::string& seq_key);

} // namespace daiban::state
