// model layer: lookups over the intent table (see intents.hpp).
#include "model/intents.hpp"

namespace daiban::model {

const intent_info* intent_of_menu_key(std::string_view key) {
    if (key.empty()) return nullptr;
    for (const auto& i : intent_table)
        if (i.menu_key == key) return &i;
    return nullptr;
}

const intent_info* intent_of_menu_phrase(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
        text.remove_suffix(1);
    if (text.empty()) return nullptr;
    for (const auto& i : intent_table)
        if (i.menu_phrase == text) return &i;
    return nullptr;
}

std::vector<std::string_view> menu_keys() {
    std::vector<std::string_view> keys;
    for (const auto& i : intent_table)
        if (!i.menu_key.empty()) keys.push_back(i.menu_key);
    return keys;
}

} // namespace daiban::model
