// model layer: a command an agent types (代理员口令): a verb from the intent table's typed verbs
// (model/intents.hpp), then the case number or code when the verb needs one, then free words —
// "接单 12", "通过 12 发票", "补正12 发票 看不清", "@代办助手 待办". The one parser: the NLU
// reads these exactly (before anything else) and hands the handlers the intent, the case and the
// words.
#pragma once

#include "model/intents.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::model {

struct agent_command {
    intent_id what;
    std::string ref; // case number ("12") or code, without '#'; empty for 待办/统计
    std::vector<std::string> args; // words after the case reference (all words: takes_words)
    // The text after the case reference as typed, punctuation kept and outer spaces trimmed:
    // free text that is relayed to a person (答复 12 已经请村里重新公示，欢迎监督).
    std::string rest_as_typed;
};

std::optional<agent_command> parse_agent_command(std::string_view text);

// Whether what follows a command's verb in the same word makes it a question — "2号办好了吗",
// "#3 退回了？", "#2 办结了没": an agent asking whether case 2 is done must not close it, and a
// resident asking is asking about their case. `rest`: UTF-8, up to the next space.
bool asks_rather_than_tells(std::string_view rest);

// Does this intent's command act on one case (接单 N; 进度 N names a campaign), or on none (待办,
// 统计, 发起收缴)?
bool needs_case(intent_id id);
// Is it a command of free words without a number (发起收缴 土地保险 截止12月20日 每亩5.73元)?
bool takes_words(intent_id id);

} // namespace daiban::model
