// bot layer, outbound: the error vocabulary of pushes and platform API calls.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace daiban::bot::outbound {

enum class outbound_errc {
    not_configured = 1, // the tenant lacks what this channel needs (secret, callback_url, ...)
    token_unavailable,  // no access token: the platform refused, or another refresher is slow
    bad_reply,          // the platform answered something that is not its JSON
    too_large,          // a download over its size cap
    platform_error,     // an errcode the platform returned (see the value for which)
};

const boost::system::error_category& outbound_category();

inline boost::system::error_code make_error_code(outbound_errc e) {
    return {static_cast<int>(e), outbound_category()};
}

} // namespace daiban::bot::outbound

template <>
struct boost::system::is_error_code_enum<daiban::bot::outbound::outbound_errc> : std::true_type {};
