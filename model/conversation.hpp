// model layer: what the bot remembers about one conversation between turns (DESIGN §2).
// Stored by state/conversation_store as a Redis hash with a 30-day sliding TTL.
#pragma once

#include "model/intents.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::model {

// What kind of answer the bot waits for.
// payment: a campaign (收缴 / 通知) asked the household to answer once they have paid or read it
// ("已交", "交了57.3元", a receipt photo).
enum class question_kind {
    service,
    date,
    choice,
    confirm,
    village,
    material,
    rating,
    free_text,
    payment
};
std::string_view name_of(question_kind k);
std::optional<question_kind> question_kind_named(std::string_view name);

// What a question is for: the intent whose job the answer continues, and what within it — a
// service id ("open_case" + "medical_relief"), a case number ("cancel_case" + "12"), an
// appointment id, "12:<file>" for a photo waiting to be filed. `unknown` + no subject: the
// fallback's "您是想…" choice among intents (the options are intent names).
struct question_topic {
    intent_id intent = intent_id::unknown;
    std::string subject;

    bool operator==(const question_topic&) const = default;
};

// A question the bot asked and is waiting to have answered. The NLU reads the next turn in its
// light ("2" picks option 2 of a choice; "明天十点" answers a date).
struct pending_question {
    question_kind kind = question_kind::free_text;
    question_topic topic;
    std::vector<std::string> options; // for numbered choices: the ids offered, in order

    bool about(intent_id i) const { return topic.intent == i; }
    bool asks(question_kind k, intent_id i) const { return kind == k && topic.intent == i; }
    bool operator==(const pending_question&) const = default;
};

struct conversation {
    std::int64_t turns = 0;         // turns handled so far
    std::int64_t last_seen = 0;     // unix seconds of the last turn
    std::string locale = "zh-Hans"; // zh-Hans | zh-Hant (replies follow the resident's script)
    std::string village;            // bound village id, if any
    std::optional<pending_question> pending;
    // What the conversation is about, so that the next turn can lean on it: the catalogue item
    // last talked about ("那怎么办理" after asking about 低保), and the case this conversation
    // opened last, with when (a quick "搞错了" withdraws it).
    std::string service;
    std::int64_t opened_case = 0;
    std::int64_t opened_at = 0;
    // The ticket (an emergency) this conversation reported last, with when: the photos and the
    // location that follow go to it, and "不是急事" takes it back.
    std::int64_t ticket = 0;
    std::int64_t ticket_at = 0;
    // Photos sent while no case was open to take them (stored media ids, oldest first): kept,
    // and asked about as soon as the resident opens a case.
    std::vector<std::string> held_files;
};

} // namespace daiban::model
