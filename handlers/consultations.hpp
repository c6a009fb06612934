// handlers layer: what consultations.cpp lends the other handlers.
#pragma once

#include "handlers/context.hpp"

#include <boost/asio/awaitable.hpp>

namespace daiban::handlers {

// Answers the turn from the FAQ when one entry clearly matches (and says nothing otherwise):
// for questions the NLU did not take for a consultation ("你们几点上班" read as unknown), so the
// fallback's "没太明白" comes only when the FAQ has nothing either.
boost::asio::awaitable<bool> answer_from_faq(context& ctx);

} // namespace daiban::handlers
