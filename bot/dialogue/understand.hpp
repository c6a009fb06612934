// bot layer, dialogue: what a turn means, before any handler runs. A fired timer means `timer`
// (no words to read); a custom-menu click reads as the phrase on its button and means the
// button's intent outright (the NLU still fills slots, e.g. dates, from the phrase); a button's
// label typed as it is means the same; everything else is the NLU's reading, in the light of the
// question the bot had asked (`asked`).
#pragma once

#include "bot/nlu/nlu.hpp"
#include "model/conversation.hpp"
#include "model/intent.hpp"
#include "model/turn.hpp"

#include <cstdint>

namespace daiban::bot::dialogue {

// May fill `t.text` with a clicked button's phrase.
model::intent understand(model::turn& t,
                         const nlu::engine& nlu,
                         const model::pending_question* asked,
                         std::int64_t now);

} // namespace daiban::bot::dialogue
