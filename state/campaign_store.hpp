// state layer: collection and notice campaigns (收缴 / 通知, "一户不漏"): an agent announces
// something every household of a village or township must answer by a deadline (the land
// insurance premium, a notice to confirm), and the bot keeps who has answered. A campaign has a
// per-tenant number of its own (agents type 进度 N), a roster fixed when it starts (households
// from org.json and residents the bot knows), and one answer per member. Starting it is one Lua
// script, idempotent on the message that started it; an answer is one script that records the
// first answer of a roster member and refuses strangers (keys: state/keys.hpp "Campaigns").
//
// Like the other handler-facing stores, a failure of Redis throws state::store_unavailable.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::state {

// collect: money to pay (收缴); notice: a notice to confirm having read (通知).
enum class campaign_kind { collect, notice };
std::string_view to_string(campaign_kind k);
std::optional<campaign_kind> parse_campaign_kind(std::string_view s);

// Someone the campaign must reach: a household of org.json (key = its id), or a resident the bot
// knows in the scope who heads no listed household (key = "r:<resident>").
struct campaign_member {
    std::string key;
    std::string name;    // the householder's or resident's name, as agents know them
    std::string village; // village id
    std::string contact; // agent id of their contact cadre
    std::string channel; // how the bot reaches them; empty = no account: visit or call
    std::string chat;    // their private chat id on `channel`
    std::string phone;   // for those without an account, when org.json has one

    bool reachable() const { return !channel.empty() && !chat.empty(); }
    bool operator==(const campaign_member&) const = default;
};

// A member's answer: paid (collect) or confirmed (notice).
struct campaign_answer {
    std::int64_t at = 0;
    std::string by;     // the resident ("<channel>:<id>"), or the agent id who marked it by hand
    std::string amount; // yuan as the resident said it ("57.3"); empty when not said
    std::string photo;  // a receipt photo's media id; empty when none

    bool operator==(const campaign_answer&) const = default;
};

struct campaign_record {
    std::int64_t number = 0;
    campaign_kind kind = campaign_kind::collect;
    std::string title;       // "土地保险"
    std::string amount_text; // "每亩5.73元"; empty for a notice or when not given
    std::string deadline;    // YYYY-MM-DD
    std::int64_t deadline_days = 0;
    std::string scope;      // village | township
    std::string scope_id;   // the village or township id
    std::string started_by; // agent id
    std::string group;      // the group chat it was started in (the final list goes there)
    std::int64_t started_at = 0;
    bool open = true;
    std::int64_t closed_at = 0;
    std::vector<campaign_member> roster;            // in the order it was drawn up
    std::map<std::string, campaign_answer> answers; // member key -> answer

    const campaign_member* member(std::string_view key) const;
    bool answered(std::string_view key) const { return answers.contains(std::string(key)); }
};

struct open_campaign_request {
    std::string tenant;
    std::string source_chat; // the message that started it: a retry starts nothing new
    std::string source_message;
    campaign_kind kind = campaign_kind::collect;
    std::string title;
    std::string amount_text;
    std::string deadline;
    std::int64_t deadline_days = 0;
    std::string scope;
    std::string scope_id;
    std::string started_by;
    std::string group;
    std::int64_t now = 0;
    std::vector<campaign_member> roster;
};

struct open_campaign_result {
    std::int64_t number = 0;
    bool created = false; // false: this source message had started it already
};

enum class answer_outcome { recorded, already, not_found };

class campaign_store {
public:
    virtual ~campaign_store() = default;

    virtual boost::asio::awaitable<open_campaign_result> open(const open_campaign_request& req) = 0;
    virtual boost::asio::awaitable<std::optional<campaign_record>> get(const std::string& tenant,
                                                                       std::int64_t number) = 0;
    // Records `member`'s answer unless they answered before (the first stands) — not_found for
    // an unknown campaign or someone not on its roster.
    virtual boost::asio::awaitable<answer_outcome> answer(const std::string& tenant,
                                                          std::int64_t number,
                                                          const std::string& member,
                                                          const campaign_answer& a) = 0;
    // Takes an open campaign out of the open index; false when it was not open.
    virtual boost::asio::awaitable<bool>
    close(const std::string& tenant, std::int64_t number, std::int64_t now) = 0;
    // Open campaigns, oldest first.
    virtual boost::asio::awaitable<std::vector<std::int64_t>>
    open_campaigns(const std::string& tenant) = 0;
    // The highest number given so far (0 = none): campaigns are numbered 1..last_number, so the
    // figures (handlers/kpis) read them all without an index of their own.
    virtual boost::asio::awaitable<std::int64_t> last_number(const std::string& tenant) = 0;
};

// The store on Redis (the production one).
class redis_campaign_store final : public campaign_store {
public:
    explicit redis_campaign_store(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<open_campaign_result> open(const open_campaign_request& req) override;
    boost::asio::awaitable<std::optional<campaign_record>> get(const std::string& tenant,
                                                               std::int64_t number) override;
    boost::asio::awaitable<answer_outcome> answer(const std::string& tenant,
                                                  std::int64_t number,
                                                  const std::string& member,
                                                  const campaign_answer& a) override;
    boost::asio::awaitable<bool>
    close(const std::string& tenant, std::int64_t number, std::int64_t now) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    open_campaigns(const std::string& tenant) override;
    boost::asio::awaitable<std::int64_t> last_number(const std::string& tenant) override;

private:
    redis::connection& conn_;
};

// The campaign as stored — its hash fields, each roster member and each answer as JSON — and
// back. Both implementations use these, so a memory campaign reads back as a Redis one.
std::vector<std::pair<std::string, std::string>> campaign_fields(const open_campaign_request& req);
std::string encode_member(const campaign_member& m, std::size_t position);
std::string encode_answer(const campaign_answer& a);
// `roster`: member key -> JSON; `answers`: member key -> JSON.
campaign_record decode_campaign(const std::vector<std::pair<std::string, std::string>>& fields,
                                const std::vector<std::pair<std::string, std::string>>& roster,
                                const std::vector<std::pair<std::string, std::string>>& answers);

} // namespace daiban::state
