// handlers layer: what the case handlers (guide, residents, cases, materials, agent commands)
// share: who the resident is, today's date, looking things up in the tenant data, the checks
// for personal details and file types, and the wording of lists.
#pragma once

#include "handlers/context.hpp"
#include "state/case_store.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::handlers::cases {

// A resident is a person on one channel: "<channel>:<platform id>".
std::string resident_id(const context& ctx);
std::string resident_id(std::string_view channel, std::string_view platform_id);
// Today in mainland time (UTC+8), and its day number (civil_date::to_days()).
civil_date today(const context& ctx);
// The code of case `number` opened on `day`: "DEMO-20261122-0012" (tenant in capitals, the day,
// the number in four digits), and its prefix "DEMO-20261122-" (what the case store appends to).
std::string code_prefix(const context& ctx, const civil_date& day);
std::string case_code(const std::string& prefix, std::int64_t number);
// The working-day calendar (weekends only when the context has none).
const work_calendar& calendar_of(const context& ctx);

// A village by id, name or alias ("黄花岭", "黄花岭村"); null if none.
const village* find_village(const org& o, std::string_view text);
// The household whose head is `resident` ("<channel>:<platform id>"), if org.json lists one.
const household* household_of(const tenant_data& d, std::string_view resident);
// Who answers for `resident` of village `v` (model::org::contact_agent, the one rule): their
// household's contact cadre (包户干部) when org.json names one, else the village's first agent
// (首问负责). An empty `resident`: the village's first agent.
const agent* contact_agent_of(const tenant_data& d, const village& v, std::string_view resident);
std::string agent_name(const tenant_data* d, const std::string& agent_id);
std::string village_name(const tenant_data* d, const std::string& village_id);
// The agent's platform id on `channel` (for @-mentions), or "".
std::string platform_id(const agent& a, const std::string& channel);
// The @-mention of an agent in a message to a group: their id on the channel group messages go
// out on (ctx.group_channel), not on the channel the turn came from. Empty if none.
std::vector<std::string> group_mention(const context& ctx, const std::string& agent_id);
// Where an agent is reached privately when they did not write this turn: the first of
// `channels` (the tenant's, in preference order: ctx.staff_channels) on which the agent has an
// id. nullopt when none: nothing can be sent.
struct private_address {
    std::string channel;
    std::string id;
};
std::optional<private_address> private_reach(const std::vector<std::string>& channels,
                                             const agent& a);
std::optional<private_address> private_reach(const context& ctx, const std::string& agent_id);

// "1. 居民身份证（正反面各拍一张…）\n2. …"
std::string checklist(const service_item& item);
// The short name used in suggestions: the first alias, else the name.
std::string short_name(const service_item& item);
// Numbered choices "1. 名称\n2. …" for service ids.
std::string service_choices(const tenant_data& d, const std::vector<std::string>& ids);
// The service ids residents ask about most (offered when the item is unclear).
std::vector<std::string> common_services(const tenant_data& d);

std::string status_text(const texts& t, state::case_status s);
// A history entry in words: what happened ("接单", "收到材料：身份证", a status) and why, with
// what means nothing to a person (file ids, the item's name already shown) left out.
struct history_wording {
    std::string what;
    std::string why;
};
history_wording
history_words(const texts& t, const state::case_record& c, const state::case_event& e);
// A score's words: 1 非常不满意 … 5 非常满意 (texts "rate_levels").
std::string rating_level(const texts& t, int score);
// Materials still needed (missing or rejected), in checklist order.
std::vector<const state::case_material*> needed(const state::case_record& c);
std::string join_names(const std::vector<const state::case_material*>& ms);
// The case material that `text` names (id, name, or a catalogue alias), if any.
const state::case_material*
material_named(const tenant_data* d, const state::case_record& c, std::string_view text);

// The type of a received file from its first bytes ("jpg", "png", "pdf"), not its claimed mime.
std::optional<std::string> sniff_file_type(std::string_view bytes);
inline constexpr std::size_t max_material_bytes = 10 * 1024 * 1024;

// The village's group chat, for case cards and notices to its agents; nullopt if it has none.
std::optional<chat_ref> village_group(const context& ctx, const std::string& village_id);

// What opening a case of `item` for `resident` of village `v` asks of the case store: today's
// code prefix, the due date by the item's working-day limit, the catalogue's version, the
// materials in checklist order and the resident's mandate (委托) in words. The caller names the
// source message (a retry opens nothing new) and the owner.
state::open_case_request case_request(const context& ctx,
                                      const service_item& item,
                                      const village& v,
                                      const std::string& owner,
                                      const std::string& source_chat,
                                      const std::string& source_message);

// The card a new case gets in its village's group: number, item, village, deadline and owner
// (mentioned) — nothing personal. Nothing when the village has no group.
void post_case_card(context& ctx,
                    std::int64_t number,
                    const std::string& item_name,
                    const village& v,
                    const std::string& due_iso,
                    const std::string& owner);

// The village this turn names or picks from the bot's numbered villages, if any.
const village* village_answered(const context& ctx);
// Asks which village the resident belongs to (pending kind "village"; `topic` says what for,
// e.g. open_case + medical_relief, so the answer continues that job).
void ask_village(context& ctx, const question_topic& topic);

// Remembers the sender as a resident of village `village_id`: how to reach them (channel, chat,
// name — so campaigns and pushes find them later) and the village, in their profile and in this
// conversation.
boost::asio::awaitable<void> remember_resident(context& ctx, const std::string& village_id);

// The text of a day: 2026-12-14 -> "12月14日".
std::string month_day(std::string_view iso_date);

} // namespace daiban::handlers::cases

namespace daiban::handlers {
// Steps one handler file lends another.
// residents.cpp: a QR scan / subscribe with scene "village:<id>" binds; false if not one.
boost::asio::awaitable<bool> bind_by_scan(context& ctx);
// materials.cpp: a photo or file sent by a resident.
boost::asio::awaitable<void> receive_material(context& ctx);
// materials.cpp: photos the conversation kept while no case was open (model::conversation::
// held_files) are asked about for case `number`, just opened: the first "这是哪一项？", the rest
// in turn. Nothing when none are held.
boost::asio::awaitable<void> ask_about_held_photos(context& ctx, std::int64_t number);
// events.cpp: a platform event that is not a menu click or a village QR code (a plain follow,
// unfollow, a menu link opened, a location report, a template delivery report): a welcome or
// silence, as WeChat users expect. False for events that mean something else (menu clicks).
bool answer_platform_event(context& ctx);
// cases.cpp: a rating the NLU read (1-5, 满意, 还行) while a done case awaits the resident's
// rating; false if not.
boost::asio::awaitable<bool> rate_if_awaited(context& ctx);
} // namespace daiban::handlers
