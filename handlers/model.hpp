// handlers layer: handlers speak the model's words (model/) unqualified — a turn, a reply, an
// intent, a conversation, the tenant's data.
#pragma once

#include "model/civil_date.hpp"
#include "model/conversation.hpp"
#include "model/intent.hpp"
#include "model/tenant_data.hpp"
#include "model/turn.hpp"

namespace daiban::handlers {
using namespace daiban::model;
} // namespace daiban::handlers
