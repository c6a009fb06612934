// handlers layer: what the campaign handlers share (收缴 / 通知, "一户不漏"):
// campaign_commands.cpp (agents: 发起收缴, 进度 N, 催交 N, 已交 N 姓名), campaign_replies.cpp
// (residents: the notice, "已交", a receipt photo) and campaign_deadlines.cpp (the reminder the
// working day before and the final list at the deadline). A campaign reaches each household
// with an account through a timer firing in that person's own conversation (kind
// "campaign_notice"): only a turn of their conversation can leave the bot's question open there,
// so that their "已交" is read as the answer and nothing else is.
#pragma once

#include "handlers/context.hpp"
#include "state/campaign_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace daiban::handlers::campaigns {

// "收缴 #3「土地保险」"
std::string label(const context& ctx, const state::campaign_record& c);
// "（每亩5.73元）", or "" without an amount.
std::string amount_note(const state::campaign_record& c);
// Names joined with "、", or "无".
std::string names(const context& ctx, const std::vector<const state::campaign_member*>& ms);
// The members who have not answered yet, in roster order.
std::vector<const state::campaign_member*> silent(const state::campaign_record& c);

// Arms one "campaign_notice" firing per member, each in the member's own conversation, due now:
// `nudge` false for the first notice, true for a reminder. Members without an account are skipped.
boost::asio::awaitable<void> send_notices(context& ctx,
                                          const state::campaign_record& c,
                                          const std::vector<const state::campaign_member*>& to,
                                          bool nudge);
// Tells every contact cadre, privately, which of their households without an account need a visit
// or a call (with the phone org.json has). `key` formats the message ({label}, {list}).
void tell_cadres_offline(context& ctx,
                         const state::campaign_record& c,
                         const std::vector<const state::campaign_member*>& members,
                         std::string_view key);

// The campaign number a "N|member" subject or payload starts with, and the member.
struct member_ref {
    std::int64_t number = 0;
    std::string member;
};
std::optional<member_ref> parse_member_ref(std::string_view text);

} // namespace daiban::handlers::campaigns

namespace daiban::handlers {
// campaign_replies.cpp: a photo or file while a campaign's question is pending: kept as the
// household's receipt; false when no campaign asked (the photo takes its usual way).
boost::asio::awaitable<bool> file_campaign_receipt(context& ctx);
// campaign_replies.cpp: "交了" said privately when the campaign's question is no longer open
// (the household talked about something else in between) while an open campaign still waits
// for this household: the bot asks which it means instead of guessing; false when none waits.
boost::asio::awaitable<bool> ask_about_awaited_campaign(context& ctx);
// Timer kinds (handlers/timers.cpp): the notice or reminder to one household ("N|member" or
// "N|member|nudge"), the cadres' reminder the working day before ("N"), the final list ("N").
boost::asio::awaitable<void> fire_campaign_notice(context& ctx, const std::string& payload);
boost::asio::awaitable<void> fire_campaign_remind(context& ctx, const std::string& payload);
boost::asio::awaitable<void> fire_campaign_final(context& ctx, const std::string& payload);
} // namespace daiban::handlers
