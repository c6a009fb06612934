// state layer: the error vocabulary of the stores and the Redis client (error_code enum).
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace daiban::state {

enum class errc {
    redis_unavailable = 1, // not connected (Redis down, reconnecting): fail fast, caller may retry
    redis_timeout,         // no reply within the command timeout; the connection is reset
    redis_protocol,        // the server sent bytes that are not RESP
    redis_error_reply,     // the server answered -ERR ...
    redis_shutting_down,   // the client is closing
    unexpected_reply,      // a reply of the wrong type for the command
};

const boost::system::error_category& category();

inline boost::system::error_code make_error_code(errc e) {
    return {static_cast<int>(e), category()};
}

} // namespace daiban::state

template <>
struct boost::system::is_error_code_enum<daiban::state::errc> : std::true_type {};
