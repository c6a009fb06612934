// bot layer, NLU: what a message does besides naming a job — corrects the bot ("不是户口，是医疗费
// 报销"), thanks it, or asks a question rather than hands a matter over ("低保能办不" asks about
// eligibility; "帮我办低保" hands it over). The product never acts on a question: these forms
// decide between "tell me" and "do it" more reliably than n-grams do.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace daiban::bot::nlu {

// A correction or negation of what the bot understood or did: "不是这个", "搞错了",
// "不是户口，是医疗费报销", "我不办户口本". `target_from` is where the resident says what they
// meant instead ("是医疗费报销"), if they do: the service named there is the one meant, a service
// named before it is the one denied.
struct correction {
    std::optional<std::size_t> target_from;
};
std::optional<correction> read_correction(std::u32string_view t);

// Thanks, acknowledgement or goodbye and nothing else: "谢谢", "好的知道了", "辛苦了".
bool is_thanks(std::u32string_view t);

// Asks who has seen their papers ("谁看过我的材料", "我的照片都有谁看了"): the mandate's audit.
bool asks_who_viewed(std::u32string_view t);

// A rating led by its digit and followed by kind words: "5 挺好的，谢谢蒋大姐", "4分 还行".
std::optional<int> leading_rating(std::u32string_view t);

// The resident hands the matter over ("帮我办", "给我弄一下", "代办").
bool delegates(std::u32string_view t);
// Asks who qualifies or whether it can be done ("能办不", "要什么条件", "多大年纪能领").
bool asks_conditions(std::u32string_view t);
// Asks for materials ("要带啥", "什么材料").
bool asks_materials(std::u32string_view t);
// Asks how it goes: steps, time, where ("多久", "怎么申请", "在哪办").
bool asks_process(std::u32string_view t);
// Asks when the office is open or how to reach it ("几点上班", "电话多少").
bool asks_contact(std::u32string_view t);
// Asks what must be paid or where to pay ("医保今年交多少钱", "养老保险在哪交").
bool asks_payment(std::u32string_view t);

} // namespace daiban::bot::nlu
