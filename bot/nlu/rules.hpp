// bot layer, NLU: the precise rule layer: agent commands with a case number (接单 12, #7 办好了,
// 12号转给县医保局), case references, rating words on the five-level scale, yes/no answers,
// choice numbers, and one-word menu requests. Rules fire only on unambiguous forms; anything
// else is left to the classifier.
#pragma once

#include "model/intents.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::bot::nlu {

struct command_hit {
    model::intent_id intent;
    std::string case_ref;
};

// Agent commands. Marks the case number (and the verb) in `taken`.
std::optional<command_hit> agent_command(std::u32string_view t, std::vector<bool>& taken);

// A case reference anywhere: "#12", "DEMO-20261118-0012" (returned upper-case), "12号单".
std::optional<std::string> case_reference(std::u32string_view t, std::vector<bool>& taken);

// 政务服务好差评 levels: 非常满意/好评/五星 = 5, 满意 = 4, 基本满意/一般/还行 = 3, 不满意 = 2,
// 非常不满意/差评 = 1; "N星", "N分", and (when `bare_digit`) a lone digit 1-5.
std::optional<int> rating_score(std::u32string_view t, bool bare_digit);
// Whether the message is essentially a rating (short, or led by an explicit rating word).
bool is_rating_message(std::u32string_view t);

// 好的/是的/对/可以 -> true; 不用了/算了/不是 -> false.
std::optional<bool> yes_no(std::u32string_view t);

// "2", "第二个", "选3", "二" -> the number (1-based). Only for short answers.
std::optional<int> choice_number(std::u32string_view t);

// One-word menu/help requests and greetings.
bool is_help_request(std::u32string_view t);

// Announcements by an agent (发通知 …, 通知: …).
bool is_notice(std::u32string_view t);

// The answer to a campaign's "交了以后回“已交”" (read only while that question is pending):
// paid for "已交", "交了", "交过了", "交了57.3元", "转过去了"; read for "收到", "知道了" (a notice
// is confirmed by it, a payment is not); not_yet for "还没交", "没钱交"; nullopt for neither.
enum class campaign_reading { paid, read, not_yet };
std::optional<campaign_reading> campaign_answer(std::u32string_view t);

} // namespace daiban::bot::nlu
