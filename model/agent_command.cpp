// model layer: the typed agent command parser (see agent_command.hpp).
#include "model/agent_command.hpp"

namespace daiban::model {

namespace {

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
        // ASCII space, tab, the full-width space, WeChat's U+2005 after an @mention, and "，".
        std::size_t sp = 0;
        if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
            sp = 1;
        else if (s.substr(i, 3) == "\xe3\x80\x80" || s.substr(i, 3) == "\xe2\x80\x85" ||
                 s.substr(i, 3) == "\xef\xbc\x8c")
            sp = 3;
        if (sp) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
            i += sp;
        } else {
            cur.push_back(s[i++]);
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

// `s` without the spaces, "，", "：" and ":" around it.
std::string trimmed(std::string_view s) {
    auto strip_front = [&] {
        for (std::string_view p :
             {" ", "\t", "\n", "\xe3\x80\x80", "\xe2\x80\x85", "\xef\xbc\x8c", "\xef\xbc\x9a", ":"})
            if (s.starts_with(p)) {
                s.remove_prefix(p.size());
                return true;
            }
        return false;
    };
    auto strip_back = [&] {
        for (std::string_view p : {" ", "\t", "\n", "\xe3\x80\x80"})
            if (s.ends_with(p)) {
                s.remove_suffix(p.size());
                return true;
            }
        return false;
    };
    while (strip_front()) {
    }
    while (strip_back()) {
    }
    return std::string(s);
}

bool is_case_ref(std::string_view s) {
    if (!s.empty() && s.front() == '#') s.remove_prefix(1);
    if (s.empty()) return false;
    if (s.find_first_not_of("0123456789") == std::string_view::npos) return s.size() <= 9;
    // DEMO-20261122-0012
    const auto a = s.find('-');
    const auto b = s.rfind('-');
    return a != std::string_view::npos && b == a + 9 && b + 1 < s.size();
}

} // namespace

bool needs_case(intent_id id) {
    return id != intent_id::agent_list && id != intent_id::agent_stats &&
           id != intent_id::agent_notice && id != intent_id::agent_console;
}

bool takes_words(intent_id id) {
    return id == intent_id::agent_notice;
}

namespace {
// The verb `word` starts with, and its intent; nullopt when none does.
std::optional<std::pair<intent_id, std::size_t>> leading_verb(std::string_view word) {
    for (const auto& entry : intent_table) {
        std::string_view verbs = entry.typed_verbs;
        while (!verbs.empty()) {
            const auto bar = verbs.find('|');
            const std::string_view verb = verbs.substr(0, bar);
            verbs = bar == std::string_view::npos ? std::string_view() : verbs.substr(bar + 1);
            if (word.starts_with(verb)) return std::pair{entry.id, verb.size()};
        }
    }
    return std::nullopt;
}

// The case a word names when it leads a command: "#2", "2号", "2号单", "DEMO-20261122-0012" —
// not a bare number, which a resident answering a numbered question types.
std::optional<std::string> leading_case(std::string_view word) {
    if (word.ends_with("\xe5\x8d\x95")) word.remove_suffix(3); // 单
    bool marked = word.starts_with("#");
    if (word.ends_with("\xe5\x8f\xb7")) { // 号
        word.remove_suffix(3);
        marked = true;
    }
    if (!is_case_ref(word)) return std::nullopt;
    if (word.front() == '#') word.remove_prefix(1);
    const bool code = word.find('-') != std::string_view::npos;
    if (!marked && !code) return std::nullopt;
    return std::string(word);
}

// "#2 退回 身份证 拍得不清楚", "2号 补正 发票 看不清": the case first, then the verb and its words.
std::optional<agent_command> case_first(std::string_view text, const std::vector<std::string>& w) {
    if (w.size() < 2) return std::nullopt;
    auto ref = leading_case(w[0]);
    const auto verb = leading_verb(w[1]);
    if (!ref || !verb || !needs_case(verb->first)) return std::nullopt;
    std::string glued = w[1].substr(verb->second);
    if (asks_rather_than_tells(glued)) return std::nullopt;
    agent_command c{verb->first, std::move(*ref), {}, {}};
    if (!glued.empty()) c.args.push_back(std::move(glued));
    c.args.insert(c.args.end(), w.begin() + 2, w.end());
    if (!c.args.empty()) {
        const auto at = text.find(w[1], text.find(w[0]) + w[0].size());
        if (at != std::string_view::npos) c.rest_as_typed = trimmed(text.substr(at + verb->second));
    }
    return c;
}
} // namespace

bool asks_rather_than_tells(std::string_view rest) {
    for (std::string_view q : {"吗", "？", "?", "么", "呢"})
        if (rest.find(q) != std::string_view::npos) return true;
    return rest.ends_with("没") || rest.ends_with("没有");
}

std::optional<agent_command> parse_agent_command(std::string_view text) {
    // Every message passes here: the common case (no verb first) allocates nothing. Skip
    // leading spaces; a leading @mention is checked after splitting.
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')
            ++i;
        else if (text.substr(i, 3) == "\xe3\x80\x80" || text.substr(i, 3) == "\xe2\x80\x85")
            i += 3; // full-width space, WeChat's space after an @mention
        else
            break;
    }
    // A mention, a verb, or a case reference ("#2 退回 …", "2号 补正 …", a code) may start one.
    const auto may_start_ref = [&](char ch) {
        return ch == '#' || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
    };
    if (i < text.size() && text[i] != '@' && !may_start_ref(text[i]) &&
        !leading_verb(text.substr(i)))
        return std::nullopt;
    auto w = words(text);
    // "@代办助手 接单 12": the mention is not part of the command.
    while (!w.empty() && w.front().starts_with("@"))
        w.erase(w.begin());
    if (w.empty()) return std::nullopt;
    const std::string& first = w.front();
    const auto verb = leading_verb(first);
    if (!verb) return case_first(text, w);
    agent_command c{verb->first, {}, {}, {}};
    std::string glued = first.substr(verb->second); // "接单12"
    std::vector<std::string> rest(w.begin() + 1, w.end());
    if (!glued.empty()) rest.insert(rest.begin(), std::move(glued));
    if (!needs_case(c.what)) {
        // 发起收缴 土地保险 截止12月20日: the words are the command; without any it is not one.
        if (takes_words(c.what)) {
            if (rest.empty()) return std::nullopt;
            c.args = std::move(rest);
            return c;
        }
        if (!rest.empty()) return std::nullopt;
        return c;
    }
    // "答复 12：明天上午" — a colon may follow the number without a space.
    if (!rest.empty())
        for (std::string_view colon : {"\xef\xbc\x9a", ":"})
            if (const auto at = rest.front().find(colon); at != std::string::npos && at > 0) {
                std::string after = rest.front().substr(at + colon.size());
                rest.front().resize(at);
                if (!after.empty()) rest.insert(rest.begin() + 1, std::move(after));
                break;
            }
    if (rest.empty() || !is_case_ref(rest.front())) return std::nullopt;
    c.ref = rest.front();
    if (c.ref.front() == '#') c.ref.erase(0, 1);
    c.args.assign(rest.begin() + 1, rest.end());
    if (!c.args.empty()) {
        // The reference is the first word after the verb; the free text starts after it.
        const auto at = text.find(rest.front(), i + verb->second);
        if (at != std::string_view::npos)
            c.rest_as_typed = trimmed(text.substr(at + rest.front().size()));
    }
    return c;
}

} // namespace daiban::model
