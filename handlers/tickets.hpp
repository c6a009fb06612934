// handlers layer: what the ticket handlers share — emergencies.cpp and voices.cpp (complaints,
// suggestions) for residents, ticket_commands.cpp for agents: where the resident lives, who
// answers, and how they and the resident are told.
#pragma once

#include "handlers/context.hpp"
#include "state/ticket_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace daiban::handlers::tickets {

// The people an emergency in `village_id` goes to at once: the village's contact agent
// (privately), the village group, and the township's duty officer (its supervisor, privately).
// Any of them may be missing (an unknown village: only the county). `resident` ("<channel>:<id>",
// may be empty): whose household's contact cadre comes first.
struct responders {
    const model::village* village = nullptr;
    const model::township* township = nullptr;
    const model::agent* contact = nullptr;
    const model::agent* duty = nullptr;
};
responders
responders_of(const context& ctx, const std::string& village_id, std::string_view resident);

// The resident's village: named in this conversation, else kept in their profile, else their
// household's (org.json); "" unknown.
boost::asio::awaitable<std::string> known_village(context& ctx);
// A ticket request for this turn's sender and message (kind, text and who they are); the caller
// adds the village, owner and due date.
state::open_ticket_request ticket_request(const context& ctx, state::ticket_kind kind);

// "长梁村赵秀英", or "长梁村居民" without the name (in groups): where a ticket is and who reported
// it.
std::string place_and_who(const context& ctx, const state::ticket_record& t, bool with_name = true);

// Sends the text `key` to every responder of the ticket's village (the group with @-mentions,
// the contact agent and the duty officer privately), or to the county when the village is
// unknown. `{number}` and `{who}` are filled in: privately with the resident's name, in groups —
// where villagers may read along — without it.
void alert_responders(context& ctx,
                      const state::ticket_record& t,
                      std::string_view key,
                      std::vector<std::pair<std::string_view, std::string>> values = {});
// The group a staff owner works in: a township supervisor's township group, the county
// administrator's county group; none for anyone else.
std::optional<chat_ref> staff_group(const context& ctx, const std::string& owner);
// A message to the resident who reported it, on their channel.
void tell_reporter(context& ctx, const state::ticket_record& t, std::string body);

// The escalation timers of a ticket (10 min: township group; 30 min: county group), so an
// acknowledgement or a withdrawal disarms them.
std::vector<std::string> escalation_timer_ids(std::int64_t number);

} // namespace daiban::handlers::tickets

namespace daiban::handlers {
// Steps emergencies.cpp lends the rest of the handlers (each false when no emergency of this
// conversation's last two hours is open: the turn is then handled as before).
// A photo or file: kept with the emergency, the responders told.
boost::asio::awaitable<bool> file_emergency_photo(context& ctx);
// A location message: kept with the emergency; without one, the resident is asked what is up.
boost::asio::awaitable<void> receive_location(context& ctx);
// "不是急事" / "搞错了" right after a report: the alarm is taken back.
boost::asio::awaitable<bool> withdraw_recent_emergency(context& ctx);
// 回访 of an answered complaint or suggestion: the resident's score closes it; a complaint's first
// bad score (1 or 2) reopens it with a new due date instead. No score: asked again.
boost::asio::awaitable<void>
rate_answered_ticket(context& ctx, std::int64_t number, std::optional<int> score);
// The escalation timer (kind "emergency_unacked", payload "<number>|township|county").
boost::asio::awaitable<void> fire_emergency_unacked(context& ctx, const std::string& payload);
} // namespace daiban::handlers
