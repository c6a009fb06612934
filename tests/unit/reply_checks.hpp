// Unit test support: reading what a handler turn said, as a person in one chat would see it.
#pragma once

#include "model/turn.hpp"

#include <regex>
#include <string>
#include <vector>

namespace daiban::test::checks {

// Everything said to one chat (a person's private chat or a group), one reply after another.
inline std::string said_to(const std::vector<model::reply>& replies, const std::string& chat_id) {
    std::string out;
    for (const auto& r : replies)
        if (r.chat.id == chat_id) out += (out.empty() ? "" : "\n---\n") + r.text;
    return out;
}

// Whether anything at all was said to that chat.
inline bool reaches(const std::vector<model::reply>& replies, const std::string& chat_id) {
    for (const auto& r : replies)
        if (r.chat.id == chat_id) return true;
    return false;
}

inline bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The first "#N" in a text: the number the bot gave a case or ticket.
inline std::string number_in(const std::string& text) {
    std::smatch m;
    if (std::regex_search(text, m, std::regex("#([0-9]+)"))) return m[1];
    return "";
}

} // namespace daiban::test::checks
