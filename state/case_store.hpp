// state layer: proxy cases (代办件) in Redis (keys: see state/keys.hpp). Every change to a case is
// one Lua script: the case hash, its history and its indexes move together, and each status
// change is checked against one table of allowed transitions (allowed_from below). The store
// knows nothing of turns, replies or the calendar: callers pass due dates and reasons in.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::state {

// accepted -> collecting -> ready -> in_progress -> done -> rated, plus returned (补正: waiting on
// the resident, clock paused), transferred (转办 up a level) and cancelled.
enum class case_status {
    accepted,
    collecting,
    ready,
    in_progress,
    returned,
    transferred,
    done,
    rated,
    cancelled
};

std::string_view to_string(case_status s);
std::optional<case_status> parse_case_status(std::string_view s);
// Not yet done, rated or cancelled.
bool is_open(case_status s);
// The transition table: may a case in `from` move to `to`?
bool can_transition(case_status from, case_status to);
// Every status `to` may be reached from, comma-separated (what the Lua scripts check).
std::string allowed_from(case_status to);

struct case_material {
    std::string id;
    std::string name;
    std::string state = "missing";  // missing | received | accepted | rejected
    std::vector<std::string> files; // sha256 ids (state/media_store)
    std::string reason;             // why it was rejected
};

struct case_event {
    std::int64_t at = 0;
    std::string who;  // agent id, resident id, or "bot"
    std::string what; // "opened", "status:returned", "claimed", "material:invoice", ...
    std::string why;
};

struct case_record {
    std::int64_t number = 0;
    std::string code; // DEMO-20261122-0012
    std::string service;
    std::string service_name;
    std::string catalog_version; // the catalogue the case was opened under
    std::string resident;        // "<channel>:<platform id>" (see resident_id)
    std::string resident_name;
    std::string channel;    // how the resident is reached: hook | wechat | wecom
    std::string chat;       // the resident's private chat id
    std::string village;    // village id
    std::string owner;      // agent id (首问负责)
    std::string claimed_by; // agent who took it (接单); empty until then
    case_status status = case_status::accepted;
    std::string due;            // YYYY-MM-DD
    std::int64_t due_days = 0;  // the due date as civil_date::to_days()
    std::int64_t paused_on = 0; // day number the clock stopped (returned), 0 when running
    std::int64_t opened_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t done_at = 0;
    int rating = 0;                // 1..5 once rated
    bool follow_up = false;        // flagged for the township (bad rating)
    std::string level = "village"; // village | township | county: who handles it now
    std::string note;              // the agent's closing note
    // 委托: what the resident entrusted when the case opened (the item, its materials, until
    // closed), in words; empty on cases opened before mandates were recorded.
    std::string mandate;
    std::vector<case_material> materials;

    const case_material* material(std::string_view id) const;
    int received_count() const; // received or accepted
};

struct open_case_request {
    std::string tenant;
    std::string source_chat; // the message that opened it: a retry opens nothing new
    std::string source_message;
    std::string code_prefix; // "DEMO-20261122-"; the number is appended as %04d
    std::string service;
    std::string service_name;
    std::string catalog_version;
    std::string resident;
    std::string resident_name;
    std::string channel;
    std::string chat;
    std::string village;
    std::string owner;
    std::string due;
    std::int64_t due_days = 0;
    std::int64_t now = 0;
    std::vector<std::pair<std::string, std::string>> materials; // id, name in checklist order
    std::string mandate;                                        // case_record::mandate
};

struct open_case_result {
    std::int64_t number = 0;
    bool created = false; // false: this source message had opened it already
};

enum class change_outcome { done, not_found, not_allowed, closed, unknown_material, nothing_to_do };

struct transition_result {
    change_outcome outcome = change_outcome::done;
    case_status previous = case_status::accepted; // or the current one when not allowed
};

struct claim_result {
    enum kind { claimed, already_yours, taken, closed, not_found } outcome = not_found;
    std::string other; // the claimant when taken; the previous owner when claimed
    case_status status = case_status::accepted;
};

struct attach_result {
    change_outcome outcome = change_outcome::done;
    int received = 0;
    int total = 0;
    case_status status = case_status::accepted;
    case_status previous = case_status::accepted;
};

struct review_result {
    change_outcome outcome = change_outcome::done;
    case_status status = case_status::accepted;
    int accepted = 0;
    int total = 0;
};

// An open case in an index: its number and due day (civil_date::to_days()).
struct case_due {
    std::int64_t number = 0;
    std::int64_t due_days = 0;
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails,
// and nothing else: callers read plain values.
class case_store {
public:
    virtual ~case_store() = default;

    // Creates the case with a new per-tenant number, its first history entry and its indexes,
    // in one script. Idempotent on (source_chat, source_message).
    virtual boost::asio::awaitable<open_case_result> open(const open_case_request& req) = 0;
    virtual boost::asio::awaitable<std::optional<case_record>> get(const std::string& tenant,
                                                                   std::int64_t number) = 0;
    // "12", "#12" or a code "DEMO-20261122-0012" -> the number, if such a case exists.
    virtual boost::asio::awaitable<std::optional<std::int64_t>> resolve(const std::string& tenant,
                                                                        const std::string& ref) = 0;
    virtual boost::asio::awaitable<std::vector<case_event>> history(const std::string& tenant,
                                                                    std::int64_t number) = 0;
    // Moves the case to `to` if the table allows it from its current status, sets `fields`
    // (an "owner" field moves the owner index; "due"/"due_days" re-score it) and records
    // history (who, now, what = "status:<to>", why).
    virtual boost::asio::awaitable<transition_result>
    transition(const std::string& tenant,
               std::int64_t number,
               case_status to,
               const std::string& who,
               const std::string& why,
               std::int64_t now,
               std::vector<std::pair<std::string, std::string>> fields = {}) = 0;
    // Sets fields without a status change (e.g. a new due date from the timers), with history.
    virtual boost::asio::awaitable<transition_result>
    update(const std::string& tenant,
           std::int64_t number,
           const std::string& who,
           const std::string& what,
           const std::string& why,
           std::int64_t now,
           std::vector<std::pair<std::string, std::string>> fields) = 0;
    // A history entry only (reminders sent, escalations, notes).
    virtual boost::asio::awaitable<void>
    record(const std::string& tenant, std::int64_t number, const case_event& e) = 0;
    // 接单: compare-and-set; of concurrent claims exactly one wins.
    virtual boost::asio::awaitable<claim_result> claim(const std::string& tenant,
                                                       std::int64_t number,
                                                       const std::string& agent,
                                                       std::int64_t now) = 0;
    // Files one document (sha256 id) under a material. If the case was returned (补正) it
    // resumes, with `resume_due`/`resume_due_days` as its new due date (the caller adds the
    // paused working days).
    virtual boost::asio::awaitable<attach_result> attach(const std::string& tenant,
                                                         std::int64_t number,
                                                         const std::string& material,
                                                         const std::string& file,
                                                         const std::string& who,
                                                         std::int64_t now,
                                                         const std::string& resume_due,
                                                         std::int64_t resume_due_days) = 0;
    // 通过 (accepted; material "" = every received one) or 补正 (rejected with a reason; the case
    // becomes returned and its clock pauses on `today_days`).
    virtual boost::asio::awaitable<review_result> review(const std::string& tenant,
                                                         std::int64_t number,
                                                         const std::string& material,
                                                         bool accepted,
                                                         const std::string& reason,
                                                         const std::string& who,
                                                         std::int64_t now,
                                                         std::int64_t today_days) = 0;
    // Indexes. Open cases by due day, earliest first (for 待办, reminders and escalation).
    virtual boost::asio::awaitable<std::vector<case_due>>
    open_cases(const std::string& tenant, std::int64_t due_until_days = INT64_MAX) = 0;
    virtual boost::asio::awaitable<std::vector<case_due>>
    open_by_owner(const std::string& tenant, const std::string& agent) = 0;
    // Case numbers, oldest first.
    virtual boost::asio::awaitable<std::vector<std::int64_t>>
    by_resident(const std::string& tenant, const std::string& resident) = 0;
    virtual boost::asio::awaitable<std::vector<std::int64_t>>
    by_village(const std::string& tenant, const std::string& village) = 0;
};

// The store on Redis (the production one).
class redis_case_store final : public case_store {
public:
    explicit redis_case_store(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<open_case_result> open(const open_case_request& req) override;
    boost::asio::awaitable<std::optional<case_record>> get(const std::string& tenant,
                                                           std::int64_t number) override;
    boost::asio::awaitable<std::optional<std::int64_t>> resolve(const std::string& tenant,
                                                                const std::string& ref) override;
    boost::asio::awaitable<std::vector<case_event>> history(const std::string& tenant,
                                                            std::int64_t number) override;
    boost::asio::awaitable<transition_result>
    transition(const std::string& tenant,
               std::int64_t number,
               case_status to,
               const std::string& who,
               const std::string& why,
               std::int64_t now,
               std::vector<std::pair<std::string, std::string>> fields = {}) override;
    boost::asio::awaitable<transition_result>
    update(const std::string& tenant,
           std::int64_t number,
           const std::string& who,
           const std::string& what,
           const std::string& why,
           std::int64_t now,
           std::vector<std::pair<std::string, std::string>> fields) override;
    boost::asio::awaitable<void>
    record(const std::string& tenant, std::int64_t number, const case_event& e) override;
    boost::asio::awaitable<claim_result> claim(const std::string& tenant,
                                               std::int64_t number,
                                               const std::string& agent,
                                               std::int64_t now) override;
    boost::asio::awaitable<attach_result> attach(const std::string& tenant,
                                                 std::int64_t number,
                                                 const std::string& material,
                                                 const std::string& file,
                                                 const std::string& who,
                                                 std::int64_t now,
                                                 const std::string& resume_due,
                                                 std::int64_t resume_due_days) override;
    boost::asio::awaitable<review_result> review(const std::string& tenant,
                                                 std::int64_t number,
                                                 const std::string& material,
                                                 bool accepted,
                                                 const std::string& reason,
                                                 const std::string& who,
                                                 std::int64_t now,
                                                 std::int64_t today_days) override;
    boost::asio::awaitable<std::vector<case_due>>
    open_cases(const std::string& tenant, std::int64_t due_until_days = INT64_MAX) override;
    boost::asio::awaitable<std::vector<case_due>> open_by_owner(const std::string& tenant,
                                                                const std::string& agent) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    by_resident(const std::string& tenant, const std::string& resident) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    by_village(const std::string& tenant, const std::string& village) override;

private:
    redis::connection& conn_;
};

// Decoding of the case hash (HGETALL reply), exposed for tests.
case_record decode_case(const redis::value& hgetall_reply);
// The history entry as stored, and back (nullopt when it is not an entry).
std::string encode_event(const case_event& e);
std::optional<case_event> decode_event(std::string_view stored);

} // namespace daiban::state
