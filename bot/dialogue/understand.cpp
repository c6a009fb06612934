// bot layer, dialogue: reading a turn (see understand.hpp).
#include "bot/dialogue/understand.hpp"

#include "model/intents.hpp"

namespace daiban::bot::dialogue {

model::intent understand(model::turn& t,
                         const nlu::engine& nlu,
                         const model::pending_question* asked,
                         std::int64_t now) {
    model::intent understood;
    if (t.channel == "timer") {
        understood.id = model::intent_id::timer;
        return understood;
    }
    const model::intent_info* button = nullptr;
    if (t.kind == model::turn_kind::event && t.event && t.event->name == "menu") {
        if ((button = model::intent_of_menu_key(t.event->key)) && t.text.empty())
            t.text = std::string(button->menu_phrase);
    } else if (t.kind == model::turn_kind::text) {
        // Residents copy what they see on the menu.
        button = model::intent_of_menu_phrase(t.text);
    }
    understood = nlu.parse(t.text, nlu::reference_time{now, 8 * 60}, asked);
    if (button) {
        understood.id = button->id;
        understood.confidence = 1.0;
    }
    return understood;
}

} // namespace daiban::bot::dialogue
