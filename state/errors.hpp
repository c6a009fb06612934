// state layer: the error vocabulary of the stores and the Redis client (error_code enum), and
// the one exception the handler-facing stores throw.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>
#include <boost/system/system_error.hpp>

#include <type_traits>

namespace daiban::state {

enum class errc {
    redis_unavailable = 1, // not connected (Redis down, reconnecting): fail fast, caller may retry
    redis_timeout,         // no reply within the command timeout; the connection is reset
    redis_protocol,        // the server sent bytes that are not RESP
    redis_error_reply,     // the server answered -ERR ...
    redis_shutting_down,   // the client is closing
    unexpected_reply,      // a reply of the wrong type for the command
    redis_not_replicated,  // written, but fewer replicas than redis.wait_replicas confirmed it
    turn_fenced,           // the turn's ticket was passed (it ran too long): nothing recorded
};

const boost::system::error_category& category();

inline boost::system::error_code make_error_code(errc e) {
    return {static_cast<int>(e), category()};
}

// What the handler-facing stores (case, resident, appointment, timer, media) throw when the
// infrastructure fails: Redis down, slow or answering nonsense, the disk refusing a file. The
// only exception they throw; the code says which failure (a state::errc, or errno for the disk).
// Handlers let it pass: the dispatcher turns it into "稍后再试" for a person and a retry for a
// timer. Code that must go on after a failure (timers, delivery) catches it by name.
class store_unavailable : public boost::system::system_error {
public:
    explicit store_unavailable(boost::system::error_code ec) : system_error(ec) {}
};

[[noreturn]] void throw_unavailable(boost::system::error_code ec);

// Throws store_unavailable with the error of a failed `r` (a Redis reply, most often).
template <class T>
void throw_if_failed(const boost::system::result<T>& r) {
    if (!r) throw_unavailable(r.error());
}

} // namespace daiban::state

template <>
struct boost::system::is_error_code_enum<daiban::state::errc> : std::true_type {};
