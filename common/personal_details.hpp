// common layer: personal details a group chat must not see and a log must not keep, the one
// rule: an 18-character ID-card number (GB 11643, the last character may be X) whose check digit
// is right, and a mainland mobile number (1[3-9] + 9 digits), each standing alone (not part of a
// longer run of digits). Written as people write them: digits ASCII or full-width (０-９, Ｘ),
// all together or grouped by a single space or dash (ASCII, full-width or ideographic) — an ID
// card as 6-8-4 ("110105 19491231 002X"), a mobile number as 3-4-4 ("138-4210-1234"). Used by
// the group privacy warning (handlers) and the log's masking (bot).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::personal {

enum class detail_kind { id_card, mobile };

struct found_detail {
    detail_kind kind;
    std::size_t pos; // byte offset in the text
    std::size_t len; // bytes, separators included
};

// Is `eighteen` a valid ID-card number (digits, last may be X/x, check digit right)?
bool valid_id_card(std::string_view eighteen);

// Every ID-card and mobile number in `text`, in order.
std::vector<found_detail> find(std::string_view text);
inline bool contains(std::string_view text) {
    return !find(text).empty();
}

// `text` with the middle of each one starred (logs: here an 18-character number is masked even
// when its check digit is wrong: over-masking costs nothing, a mistyped number is still personal):
// an ID card keeps its region (6) and last four, a mobile number its first three and last four;
// separators stay, each starred digit becomes one '*'.
std::string mask(std::string_view text);

} // namespace daiban::personal
