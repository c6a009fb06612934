// bot layer, NLU: numbers as residents write them: Arabic (120, 876.5, full-width already
// folded), Chinese (三百五 = 350, 一千二 = 1200, 两万五 = 25000, 二零一三 = 2013), mixed (1.5万),
// and money amounts (二百六十八块, 876.5元, ¥120, 三块五, "一共三百五").
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace daiban::bot::nlu {

struct number_match {
    double value = 0;
    std::size_t begin = 0, end = 0; // [begin, end) in the text
    bool arabic = false;            // written with digits (not Chinese numerals)
    int digits = 0;                 // how many digit characters (for years: 2013 vs 13)
};

// 0..9 for 〇零一二两三四五六七八九 and '0'..'9'; -1 otherwise.
int digit_value(char32_t c);
bool is_number_char(char32_t c);

// The number starting exactly at `pos` (longest reading), if any. Does not look behind `pos`.
std::optional<number_match> read_number(std::u32string_view s, std::size_t pos);

// Money in the text: a number with a currency unit (元, 块, 圆, 块钱, ¥ before it) or, failing
// that, a number right after a paying word (一共, 共计, 转了, 交了 ...). Characters marked in
// `taken` (dates, case numbers) are skipped. Marks what it consumed in `taken`.
std::optional<number_match> find_money(std::u32string_view s, std::vector<bool>& taken);

} // namespace daiban::bot::nlu
