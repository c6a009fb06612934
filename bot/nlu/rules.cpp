// bot layer, NLU: the rule layer (see rules.hpp).
#include "bot/nlu/rules.hpp"

#include "bot/nlu/numbers.hpp"
#include "common/utf8.hpp"
#include "model/agent_command.hpp"

#include <array>

namespace daiban::bot::nlu {

namespace {
using I = model::intent_id;

bool starts(std::u32string_view t, std::size_t i, std::u32string_view w) {
    return t.size() >= i + w.size() && t.substr(i, w.size()) == w;
}
bool is_ascii_digit(char32_t c) {
    return c >= U'0' && c <= U'9';
}
bool is_alpha(char32_t c) {
    return c >= U'a' && c <= U'z';
}

std::size_t skip_spaces(std::u32string_view t, std::size_t i) {
    while (i < t.size() && t[i] == U' ')
        ++i;
    return i;
}

// Drops sentence-final particles and spaces: "好的呀" -> "好的".
std::u32string_view trim_particles(std::u32string_view t) {
    static constexpr std::u32string_view particles = U" 啊吧呀哈呢嘛哦噢喔啦了的哟咯 ";
    while (!t.empty() && particles.find(t.back()) != std::u32string_view::npos)
        t.remove_suffix(1);
    while (!t.empty() && t.front() == U' ')
        t.remove_prefix(1);
    return t;
}

struct case_token {
    std::size_t begin, end;
    std::string ref;
};

// A case number at i: "#12", "12", "DEMO-20261118-0012" (any letters-8digits-digits code).
std::optional<case_token> case_at(std::u32string_view t, std::size_t i) {
    std::size_t k = i;
    if (k < t.size() && t[k] == U'#') ++k;
    if (k < t.size() && is_alpha(t[k])) {
        std::size_t a = k;
        while (a < t.size() && is_alpha(t[a]))
            ++a;
        if (a - k < 1 || a - k > 10 || a >= t.size() || t[a] != U'-') return std::nullopt;
        std::size_t b = a + 1, c = b;
        while (c < t.size() && is_ascii_digit(t[c]))
            ++c;
        if (c - b != 8 || c >= t.size() || t[c] != U'-') return std::nullopt;
        std::size_t d = c + 1, e = d;
        while (e < t.size() && is_ascii_digit(t[e]))
            ++e;
        if (e == d || e - d > 6) return std::nullopt;
        std::string ref;
        for (std::size_t x = k; x < e; ++x) {
            char ch = static_cast<char>(t[x]);
            if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
            ref.push_back(ch);
        }
        return case_token{i, e, ref};
    }
    std::size_t e = k;
    while (e < t.size() && is_ascii_digit(t[e]))
        ++e;
    if (e == k || e - k > 6) return std::nullopt;
    if (e < t.size() && (t[e] == U'.' || t[e] == U':')) return std::nullopt;
    std::string ref;
    std::size_t x = k;
    while (x + 1 < e && t[x] == U'0')
        ++x; // "012" -> "12"
    for (; x < e; ++x)
        ref.push_back(static_cast<char>(t[x]));
    return case_token{i, e, ref};
}

void mark(std::vector<bool>& taken, std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e && k < taken.size(); ++k)
        taken[k] = true;
}

struct verb {
    std::u32string_view word;
    model::intent_id intent;
};
constexpr verb leading_verbs[] = {
    {U"我来接", I::agent_claim},  {U"我来办", I::agent_claim},  {U"接单", I::agent_claim},
    {U"认领", I::agent_claim},    {U"领单", I::agent_claim},    {U"抢单", I::agent_claim},
    {U"我接", I::agent_claim},    {U"受理", I::agent_claim},    {U"已办结", I::agent_done},
    {U"已完成", I::agent_done},   {U"已办好", I::agent_done},   {U"办结", I::agent_done},
    {U"结单", I::agent_done},     {U"完成", I::agent_done},     {U"办好", I::agent_done},
    {U"办完", I::agent_done},     {U"结案", I::agent_done},     {U"退回", I::agent_return},
    {U"退件", I::agent_return},   {U"退单", I::agent_return},   {U"补正", I::agent_return},
    {U"驳回", I::agent_return},   {U"打回", I::agent_return},   {U"转办", I::agent_transfer},
    {U"转交", I::agent_transfer}, {U"转派", I::agent_transfer}, {U"移交", I::agent_transfer},
    {U"上报", I::agent_transfer}, {U"转", I::agent_transfer},
};
constexpr verb trailing_verbs[] = {
    {U"我来办", I::agent_claim},  {U"我来接", I::agent_claim},  {U"我来", I::agent_claim},
    {U"我接了", I::agent_claim},  {U"我接", I::agent_claim},    {U"我负责", I::agent_claim},
    {U"归我", I::agent_claim},    {U"给我", I::agent_claim},    {U"已办结", I::agent_done},
    {U"办结", I::agent_done},     {U"办好了", I::agent_done},   {U"办完了", I::agent_done},
    {U"办好", I::agent_done},     {U"已办好", I::agent_done},   {U"完成了", I::agent_done},
    {U"已完成", I::agent_done},   {U"搞定了", I::agent_done},   {U"搞定", I::agent_done},
    {U"结了", I::agent_done},     {U"办妥了", I::agent_done},   {U"退回", I::agent_return},
    {U"补正", I::agent_return},   {U"打回", I::agent_return},   {U"驳回", I::agent_return},
    {U"转给", I::agent_transfer}, {U"转到", I::agent_transfer}, {U"转办", I::agent_transfer},
    {U"转交", I::agent_transfer}, {U"移交", I::agent_transfer}, {U"上报", I::agent_transfer},
};

} // namespace

std::optional<command_hit> agent_command(std::u32string_view t, std::vector<bool>& taken) {
    const std::size_t i = skip_spaces(t, 0);
    // Form 1: verb, then the case number ("接单 12", "补正 12 发票不清楚").
    for (const auto& v : leading_verbs) {
        if (!starts(t, i, v.word)) continue;
        std::size_t k = skip_spaces(t, i + v.word.size());
        if (starts(t, k, U"第")) ++k;
        auto c = case_at(t, k);
        if (!c) continue;
        std::size_t e = c->end;
        if (starts(t, e, U"号单"))
            e += 2;
        else if (starts(t, e, U"号"))
            e += 1;
        // "转 12" needs the space or a code: "转12万" is not a command
        if (v.word == U"转" && k == i + 1) continue;
        if (e < t.size() && (t[e] == U'万' || t[e] == U'元' || t[e] == U'块' || t[e] == U'天' ||
                             t[e] == U'月' || t[e] == U'点' || t[e] == U'个'))
            continue;
        mark(taken, i, e);
        return command_hit{v.intent, c->ref};
    }
    // Form 2: the case number first ("12号我来办", "#7 办好了", "12号转给县医保局").
    if (auto c = case_at(t, i)) {
        std::size_t k = c->end;
        const bool hash = t[i] == U'#';
        bool hao = false;
        if (starts(t, k, U"号单"))
            k += 2, hao = true;
        else if (starts(t, k, U"号"))
            k += 1, hao = true;
        else if (starts(t, k, U"单"))
            k += 1, hao = true;
        const bool code = !is_ascii_digit(t[hash ? i + 1 : i]);
        if (hao || hash || code || (k < t.size() && t[k] == U' ')) {
            k = skip_spaces(t, k);
            if (starts(t, k, U"这个") || starts(t, k, U"这单")) k = skip_spaces(t, k + 2);
            for (const auto& v : trailing_verbs) {
                if (!starts(t, k, v.word)) continue;
                // "2号办好了吗": a question about the case (case_reference reads it), no command.
                std::size_t word_end = k + v.word.size();
                while (word_end < t.size() && t[word_end] != U' ' && t[word_end] != U'\u3000')
                    ++word_end;
                if (model::asks_rather_than_tells(
                        utf8::encode(t.substr(k + v.word.size(), word_end - k - v.word.size()))))
                    return std::nullopt;
                mark(taken, i, k + v.word.size());
                return command_hit{v.intent, c->ref};
            }
        }
    }
    return std::nullopt;
}

std::optional<std::string> case_reference(std::u32string_view t, std::vector<bool>& taken) {
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (taken[i]) continue;
        const bool boundary = i == 0 || !(is_alpha(t[i - 1]) || is_ascii_digit(t[i - 1]));
        if (!boundary) continue;
        if (t[i] == U'#' || is_alpha(t[i])) {
            auto c = case_at(t, i);
            if (c && (t[i] == U'#' || !is_ascii_digit(t[i]))) {
                mark(taken, c->begin, c->end);
                return c->ref;
            }
        }
        // 12号单 / 单号12 / 案件12 / 第12号件
        if (starts(t, i, U"单号") || starts(t, i, U"案件") || starts(t, i, U"件号")) {
            std::size_t k = skip_spaces(t, i + 2);
            if (auto c = case_at(t, k)) {
                mark(taken, i, c->end);
                return c->ref;
            }
        }
        if (is_ascii_digit(t[i])) {
            auto c = case_at(t, i);
            if (c && (starts(t, c->end, U"号单") || starts(t, c->end, U"号件"))) {
                mark(taken, i, c->end + 2);
                return c->ref;
            }
            // "12号怎么样了", "3号办好没": a numbered thing whose progress is asked is a case.
            if (c && starts(t, c->end, U"号"))
                for (std::u32string_view w :
                     {U"怎么样", U"进度", U"办好", U"办得", U"到哪", U"办完", U"咋样", U"什么情况",
                      U"啥情况", U"那件", U"那个事", U"那事", U"完成", U"办结", U"结了", U"退回",
                      U"受理"})
                    if (starts(t, skip_spaces(t, c->end + 1), w)) {
                        mark(taken, i, c->end + 1);
                        return c->ref;
                    }
        }
        // "撤销 2", "撤销2号", "查一下 12": the number after a verb about cases is a case.
        for (std::u32string_view verb : {U"撤销", U"撤回", U"查询", U"查一下", U"查查"}) {
            if (!starts(t, i, verb)) continue;
            std::size_t k = skip_spaces(t, i + verb.size());
            if (k < t.size() && t[k] == U'#') continue; // "#12" is read above
            if (k >= t.size() || !is_ascii_digit(t[k])) continue;
            auto c = case_at(t, k);
            if (!c) continue;
            std::size_t e = c->end;
            if (starts(t, e, U"号")) ++e;
            mark(taken, k, e);
            return c->ref;
        }
    }
    return std::nullopt;
}

namespace {

struct score_word {
    std::u32string_view word;
    int score;
};
// Longest first: "非常不满意" must not read as "满意".
constexpr score_word score_words[] = {
    {U"非常不满意", 1}, {U"特别不满意", 1}, {U"很不满意", 1}, {U"极不满意", 1},
    {U"十分不满意", 1}, {U"太不满意", 1},   {U"不太满意", 2}, {U"不怎么满意", 2},
    {U"不满意", 2},     {U"基本满意", 3},   {U"比较满意", 4}, {U"还算满意", 3},
    {U"非常满意", 5},   {U"特别满意", 5},   {U"十分满意", 5}, {U"很满意", 5},
    {U"超级满意", 5},   {U"太满意", 5},     {U"满意", 4},     {U"差评", 1},
    {U"好评", 5},       {U"五星", 5},       {U"一星", 1},     {U"两星", 2},
    {U"二星", 2},       {U"三星", 3},       {U"四星", 4},     {U"一般般", 3},
    {U"一般", 3},       {U"还行", 3},       {U"还可以", 3},   {U"凑合", 3},
    {U"马马虎虎", 3},   {U"不错", 4},       {U"挺好", 4},     {U"很好", 5},
    {U"非常好", 5},     {U"太差", 1},       {U"很差", 1},
};

} // namespace

std::optional<int> rating_score(std::u32string_view t, bool bare_digit) {
    // "5分", "打5分", "4星", "给个五分"
    for (std::size_t i = 0; i < t.size(); ++i) {
        const int d = digit_value(t[i]);
        if (d < 1 || d > 5) continue;
        if (i + 1 < t.size() && (t[i + 1] == U'分' || t[i + 1] == U'星') &&
            !(i > 0 && is_number_char(t[i - 1])) &&
            !(i + 2 < t.size() && (t[i + 2] == U'钟' || t[i + 2] == U'之'))) {
            return d;
        }
    }
    for (const auto& w : score_words)
        if (t.find(w.word) != std::u32string_view::npos) return w.score;
    if (bare_digit) {
        auto s = trim_particles(t);
        if (s.size() == 1 && digit_value(s[0]) >= 1 && digit_value(s[0]) <= 5)
            return digit_value(s[0]);
    }
    return std::nullopt;
}

bool is_rating_message(std::u32string_view t) {
    auto s = trim_particles(t);
    // "满意率" / "好评率" are statistics an agent asks for, not a rating.
    if (s.find(U'率') != std::u32string_view::npos) return false;
    for (std::u32string_view w : {U"好评", U"差评", U"五星", U"打分", U"评分", U"一星"})
        if (s.find(w) != std::u32string_view::npos) return true;
    if (s.size() <= 6 && rating_score(s, true)) return true;
    return false;
}

std::optional<bool> yes_no(std::u32string_view t) {
    auto s = trim_particles(t);
    if (s.empty() || s.size() > 12) return std::nullopt;
    static constexpr std::u32string_view no[] = {
        U"不用",   U"算了", U"不要", U"不是", U"不对",   U"不行", U"取消",   U"不了", U"不需要",
        U"不可以", U"别",   U"否",   U"no",   U"不同意", U"先不", U"暂时不", U"不"};
    static constexpr std::u32string_view yes[] = {
        U"好的", U"是的",   U"对的", U"对",   U"是", U"行",     U"可以",   U"嗯",   U"确认",
        U"确定", U"没问题", U"ok",   U"好嘞", U"好", U"要",     U"需要",   U"没错", U"同意",
        U"中",   U"成",     U"yes",  U"y",    U"恩", U"就这样", U"没毛病", U"妥"};
    for (auto w : no)
        if (starts(s, 0, w)) return false;
    for (auto w : yes)
        if (starts(s, 0, w)) return true;
    return std::nullopt;
}

std::optional<int> choice_number(std::u32string_view t) {
    auto s = trim_particles(t);
    if (s.empty() || s.size() > 6) return std::nullopt;
    std::size_t i = 0;
    for (std::u32string_view w : {U"选第", U"选", U"第", U"要第", U"就"})
        if (starts(s, 0, w)) {
            i = w.size();
            break;
        }
    auto n = read_number(s, i);
    if (!n || n->value < 1 || n->value > 20 || n->value != static_cast<int>(n->value))
        return std::nullopt;
    std::size_t e = n->end;
    for (std::u32string_view w : {U"个", U"项", U"条", U"号", U"种"})
        if (starts(s, e, w)) {
            e += w.size();
            break;
        }
    if (e != s.size()) return std::nullopt;
    return static_cast<int>(n->value);
}

bool is_help_request(std::u32string_view t) {
    auto s = trim_particles(t);
    static constexpr std::u32string_view words[] = {
        U"菜单",   U"帮助",     U"help",   U"你好",  U"您好", U"在吗",     U"在不在",
        U"有人吗", U"有人在吗", U"hi",     U"hello", U"功能", U"使用说明", U"说明",
        U"怎么用", U"主菜单",   U"menu",   U"?",     U"在么", U"有人没",   U"喂",
        U"哈喽",   U"嗨",       U"你好呀", U"在",    U"人呢"};
    for (auto w : words)
        if (s == w) return true;
    return false;
}

bool is_notice(std::u32string_view t) {
    const std::size_t i = skip_spaces(t, 0);
    for (std::u32string_view w : {U"发通知", U"发布通知", U"发个通知", U"群通知", U"发公告",
                                  U"公告", U"通知 ", U"紧急通知", U"重要通知", U"温馨提示"})
        if (starts(t, i, w) && t.size() > i + w.size() + 1) return true;
    return false;
}

std::optional<campaign_reading> campaign_answer(std::u32string_view t) {
    auto has = [&](std::u32string_view w) { return t.find(w) != std::u32string_view::npos; };
    // "还没交", "没钱交", "交不了", "不交": not done, whatever else it says.
    for (std::u32string_view w : {U"没交", U"未交", U"没缴", U"未缴", U"没钱", U"不交", U"交不",
                                  U"还没", U"没有交", U"没付", U"没转"})
        if (has(w)) return campaign_reading::not_yet;
    for (std::u32string_view w : {U"已交", U"交了", U"交过", U"交好", U"交完", U"已缴", U"缴了",
                                  U"缴过", U"已付", U"付了", U"付过", U"已转", U"转了", U"转过"})
        if (has(w)) return campaign_reading::paid;
    for (std::u32string_view w : {U"收到", U"知道了", U"已阅", U"明白", U"看到了"})
        if (has(w)) return campaign_reading::read;
    return std::nullopt;
}

} // namespace daiban::bot::nlu
