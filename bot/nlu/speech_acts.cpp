// bot layer, NLU: speech acts (see speech_acts.hpp).
#include "bot/nlu/speech_acts.hpp"

#include "bot/nlu/numbers.hpp"

#include <initializer_list>
#include <string>

namespace daiban::bot::nlu {

namespace {

bool contains_any(std::u32string_view t, std::initializer_list<std::u32string_view> words) {
    for (auto w : words)
        if (t.find(w) != std::u32string_view::npos) return true;
    return false;
}

std::u32string_view trim(std::u32string_view t) {
    static constexpr std::u32string_view drop = U" 啊吧呀哈呢嘛哦噢喔啦了的哟咯!！~。，,.";
    while (!t.empty() && drop.find(t.back()) != std::u32string_view::npos)
        t.remove_suffix(1);
    while (!t.empty() && (t.front() == U' ' || t.front() == U'哎' || t.front() == U'唉'))
        t.remove_prefix(1);
    return t;
}

} // namespace

std::optional<correction> read_correction(std::u32string_view t) {
    const auto s = trim(t);
    if (s.empty() || s.size() > 40) return std::nullopt;
    // Where the denial ends: after it, "是Y" / "要Y" / "办Y" says what was meant.
    std::optional<std::size_t> denial_end;
    static constexpr std::u32string_view openers[] = {
        U"不是这个",       U"不是这样",     U"不是那个",   U"不是这",   U"不对",     U"搞错了",
        U"弄错了",         U"搞错",         U"弄错",       U"点错了",   U"点错",     U"按错",
        U"说错了",         U"说错",         U"错了",       U"理解错了", U"你理解错", U"我说的不是",
        U"我不是这个意思", U"不是这个意思", U"不是我要的", U"我不是要", U"我不是说"};
    for (auto w : openers)
        if (s.starts_with(w) || s.starts_with(std::u32string(U"我") + std::u32string(w)) ||
            s.starts_with(std::u32string(U"你") + std::u32string(w))) {
            denial_end = s.find(w) + w.size();
            break;
        }
    // "不是户口，是医疗费报销", "我不办户口本", "不要户口本 要身份证": a denial inside the
    // sentence. "这个事不办了，帮我撤销" withdraws a case; it corrects nothing.
    const bool withdraws =
        contains_any(s, {U"撤销", U"撤回", U"取消", U"不办了", U"不想办了", U"不要办了"});
    if (!denial_end && !withdraws)
        for (std::u32string_view w : {U"不是", U"不办", U"不要办", U"不想办"}) {
            const auto at = s.find(w);
            if (at == std::u32string_view::npos || at > 3) continue;
            // "不是很清楚" or "不要了" are not corrections; a denial names something after it.
            if (s.size() < at + w.size() + 2) continue;
            if (w == U"不是" && !contains_any(s.substr(at + 2), {U"是", U"要", U"办"})) continue;
            denial_end = at + w.size();
            break;
        }
    if (!denial_end) return std::nullopt;
    correction c;
    // The first 是/要/办 after the denied thing starts what is meant.
    // ("我不办户口本": a 办 after 不 is still the denial.)
    std::size_t best = std::u32string_view::npos;
    for (std::u32string_view w : {U"是", U"要", U"办", U"想"}) {
        auto at = s.find(w, *denial_end + 1);
        while (at != std::u32string_view::npos && (s[at - 1] == U'不' || s[at - 1] == U'没'))
            at = s.find(w, at + 1);
        if (at != std::u32string_view::npos && at < best) best = at;
    }
    if (best != std::u32string_view::npos) c.target_from = best;
    return c;
}

bool is_thanks(std::u32string_view t) {
    const auto s = trim(t);
    static constexpr std::u32string_view words[] = {
        U"谢谢",      U"谢谢你",   U"谢谢您",    U"谢谢啦",   U"谢了",   U"多谢",     U"感谢",
        U"非常感谢",  U"太感谢",   U"感谢感谢",  U"谢谢谢谢", U"辛苦",   U"辛苦你",   U"辛苦您",
        U"辛苦辛苦",  U"好的谢谢", U"好的 谢谢", U"好 谢谢",  U"知道",   U"知道啦",   U"好的知道",
        U"明白",      U"明白了",   U"懂",        U"晓得",     U"收到",   U"好的收到", U"ok",
        U"okk",       U"好嘞",     U"麻烦你",    U"麻烦您",   U"再见",   U"拜拜",     U"好的再见",
        U"谢谢 再见", U"ok 谢谢",  U"好的好的",  U"行 谢谢",  U"行谢谢", U"好的辛苦"};
    for (auto w : words)
        if (s == w) return true;
    return false;
}

bool asks_who_viewed(std::u32string_view t) {
    return contains_any(t, {U"谁", U"哪些人", U"什么人", U"哪个"}) &&
           contains_any(t, {U"看过", U"看了", U"查看", U"查阅", U"调阅", U"调取", U"看到"}) &&
           contains_any(t, {U"材料", U"照片", U"资料", U"证件", U"身份证", U"户口本"});
}

std::optional<int> leading_rating(std::u32string_view t) {
    std::size_t i = 0;
    while (i < t.size() && t[i] == U' ')
        ++i;
    if (i >= t.size()) return std::nullopt;
    const int d = digit_value(t[i]);
    if (d < 1 || d > 5) return std::nullopt;
    std::size_t k = i + 1;
    if (k < t.size() && (t[k] == U'分' || t[k] == U'星')) ++k;
    // The digit stands alone: "5 挺好的", not "5号" or "50".
    if (k < t.size() && t[k] != U' ' &&
        !contains_any(t.substr(k, 1), {U"挺", U"很", U"非", U"满", U"谢", U"不", U"好"}))
        return std::nullopt;
    const auto rest = t.substr(k);
    if (!contains_any(rest, {U"好", U"满意", U"谢", U"不错", U"辛苦", U"棒", U"行", U"可以",
                             U"一般", U"差", U"慢"}))
        return std::nullopt;
    return d;
}

bool delegates(std::u32string_view t) {
    return contains_any(t, {U"帮我办",   U"帮忙办",   U"帮我代办", U"给我办",   U"帮我申请",
                            U"帮忙申请", U"麻烦帮",   U"帮我弄",   U"帮忙弄",   U"办一下",
                            U"办下",     U"帮我们办", U"替我办",   U"给我弄",   U"帮着办",
                            U"帮我报",   U"给我申请", U"帮我补办", U"给办一下", U"帮办"});
}

bool asks_conditions(std::u32string_view t) {
    return contains_any(
        t, {U"什么条件",   U"啥条件",     U"哪些条件", U"条件是",     U"有啥要求", U"什么要求",
            U"符合",       U"够条件",     U"够不够",   U"有资格",     U"资格",     U"能不能办",
            U"能办不",     U"能办吗",     U"可以办吗", U"可不可以办", U"能申请吗", U"可以申请吗",
            U"能不能申请", U"能申请不",   U"能领吗",   U"能不能领",   U"能领不",   U"能不能吃",
            U"能吃吗",     U"能吃不",     U"多大年纪", U"多少岁",     U"几岁能",   U"谁能",
            U"哪些人",     U"什么人能",   U"能享受",   U"能不能享受", U"能代办不", U"能代办吗",
            U"可以代办吗", U"能不能代办", U"我能办吗", U"能报吗",     U"能不能报", U"能报不"});
}

bool asks_materials(std::u32string_view t) {
    return contains_any(t, {U"什么材料", U"哪些材料", U"啥材料", U"带什么", U"带啥", U"要什么证",
                            U"哪些证件", U"什么证件", U"啥证件", U"准备什么", U"准备啥",
                            U"准备哪些", U"什么资料", U"哪些资料", U"要哪些东西", U"什么手续",
                            U"拍什么", U"拍啥", U"要啥东西"});
}

bool asks_process(std::u32string_view t) {
    return contains_any(t, {U"多久",     U"几天",       U"几个工作日", U"多长时间", U"收费吗",
                            U"收不收费", U"要钱吗",     U"流程",       U"在哪",     U"怎么申请",
                            U"怎么办理", U"如何办理",   U"如何申请",   U"发多少",   U"领多少",
                            U"给多少",   U"什么时候发", U"怎么弄",     U"咋弄",     U"咋办理",
                            U"怎么办",   U"步骤",       U"手续怎么",   U"多少钱"});
}

bool asks_contact(std::u32string_view t) {
    return contains_any(t, {U"几点上班",   U"几点下班",   U"上班时间",     U"下班时间",
                            U"办公时间",   U"工作时间",   U"几点开门",     U"几点关门",
                            U"几点开始",   U"周末上班",   U"周六上班",     U"周日上班",
                            U"周末有人",   U"周六有人",   U"星期六上班",   U"礼拜天上班",
                            U"电话多少",   U"电话是多少", U"联系电话",     U"咨询电话",
                            U"办公电话",   U"号码多少",   U"怎么联系你们", U"什么时候上班",
                            U"啥时候上班", U"几点有人",   U"中午有人",     U"上不上班",
                            U"上班吗",     U"开门吗",     U"办公地址",     U"地址在哪"});
}

bool asks_payment(std::u32string_view t) {
    if (contains_any(t, {U"交给", U"交上去", U"交材料", U"交了材料"})) return false;
    return contains_any(t, {U"交多少", U"缴多少",   U"交费",         U"缴费",       U"交钱",
                            U"一年交", U"每年交",   U"今年交",       U"明年交",     U"在哪交",
                            U"怎么交", U"缴纳",     U"交保险",       U"交医保",     U"交养老",
                            U"个人缴", U"缴费标准", U"交到什么时候", U"什么时候交", U"啥时候交"});
}

} // namespace daiban::bot::nlu
