// state layer: tickets — what residents bring besides proxy cases: emergencies (急事/灾情),
// complaints (投诉), suggestions (建议) and consultations (咨询). Each has a per-tenant number
// of its own (apart from case numbers: agents type 收到 3 / 到场 3 / 答复 3, verbs no case
// command uses), an owner, a status, timestamps, photos, a location and a history, in Redis
// (keys: state/keys.hpp "Tickets"). Every change is one Lua script guarded by the statuses it
// may start from, so two agents typing 收到 at once record one acknowledgement.
//
// Like the other handler-facing stores, a failure of Redis throws state::store_unavailable
// (state/errors.hpp): a handler never branches on infrastructure.
#pragma once

#include "state/case_store.hpp" // case_event: tickets keep the same history entries
#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::state {

enum class ticket_kind { emergency, complaint, suggestion, consultation };
std::string_view to_string(ticket_kind k);
std::optional<ticket_kind> parse_ticket_kind(std::string_view s);

// open: reported, nobody has answered yet. acknowledged: an agent said 收到 (emergencies).
// on_site: an agent is there (到场). answered: staff replied (complaints, suggestions,
// consultations; the resident may rate it). closed: done. withdrawn: the resident said it was
// not what they meant ("不是急事"). Open, acknowledged and on_site count as open.
enum class ticket_status { open, acknowledged, on_site, answered, closed, withdrawn };
std::string_view to_string(ticket_status s);
std::optional<ticket_status> parse_ticket_status(std::string_view s);
bool is_open(ticket_status s);

using ticket_event = case_event;

struct ticket_record {
    std::int64_t number = 0;
    ticket_kind kind = ticket_kind::emergency;
    ticket_status status = ticket_status::open;
    std::string text;          // what the resident wrote (or the voice message's text)
    std::string resident;      // "<channel>:<platform id>"
    std::string resident_name; // empty when anonymous
    std::string channel;       // how the resident is reached
    std::string chat;          // the resident's private chat id
    std::string village;       // village id, empty when unknown
    std::string township;      // township id, empty when unknown
    std::string owner;         // agent id answerable for it
    bool anonymous = false;    // 匿名: no staff view shows who wrote
    std::string about;         // complaints: the agent or village complained about (ids)
    std::int64_t reported_at = 0;
    std::int64_t updated_at = 0;
    std::int64_t acknowledged_at = 0;
    std::string acknowledged_by;
    std::int64_t on_site_at = 0;
    std::int64_t answered_at = 0;
    std::int64_t closed_at = 0;
    std::string answer;             // staff's reply
    std::string due;                // YYYY-MM-DD (complaints, suggestions); empty for emergencies
    std::int64_t due_days = 0;      // civil_date::to_days() of `due`
    std::string location;           // "lat,lng label" of a location the resident sent
    std::vector<std::string> files; // sha256 ids (state/media_store), in the order received
    int rating = 0;                 // 1..5 after 回访
    bool reopened = false;          // a bad rating reopened it (once)
    std::int64_t case_number = 0;   // the case it became (转代办), 0 = none
};

struct open_ticket_request {
    std::string tenant;
    std::string source_chat; // the message that opened it: a retry opens nothing new
    std::string source_message;
    ticket_kind kind = ticket_kind::emergency;
    std::string text;
    std::string resident;
    std::string resident_name;
    std::string channel;
    std::string chat;
    std::string village;
    std::string township;
    std::string owner;
    bool anonymous = false;
    std::string about;
    std::string due;
    std::int64_t due_days = 0;
    std::int64_t now = 0;
};

struct open_ticket_result {
    std::int64_t number = 0;
    bool created = false; // false: this source message had opened it already
};

// A change asked of a ticket: from which statuses it may happen, to which status (none = keep),
// the fields it sets, a photo to add, and the history line that records it.
struct ticket_change {
    std::vector<ticket_status> from; // empty = from any status
    std::optional<ticket_status> to;
    std::vector<std::pair<std::string, std::string>> fields;
    std::string file; // sha256 id to append to `files` (once), "" = none
    ticket_event event;
};

struct ticket_change_result {
    enum kind { done, not_found, not_allowed } outcome = not_found;
    ticket_status previous = ticket_status::open; // the status before (done) or now (not_allowed)
};

class ticket_store {
public:
    virtual ~ticket_store() = default;

    // Creates the ticket with a new number, its first history entry and its indexes, in one
    // step. Idempotent on (source_chat, source_message).
    virtual boost::asio::awaitable<open_ticket_result> open(const open_ticket_request& req) = 0;
    virtual boost::asio::awaitable<std::optional<ticket_record>> get(const std::string& tenant,
                                                                     std::int64_t number) = 0;
    virtual boost::asio::awaitable<ticket_change_result>
    change(const std::string& tenant, std::int64_t number, const ticket_change& c) = 0;
    virtual boost::asio::awaitable<std::vector<ticket_event>> history(const std::string& tenant,
                                                                      std::int64_t number) = 0;
    // Open tickets (open, acknowledged, on_site), oldest first.
    virtual boost::asio::awaitable<std::vector<std::int64_t>>
    open_tickets(const std::string& tenant) = 0;
    // A resident's tickets, oldest first.
    virtual boost::asio::awaitable<std::vector<std::int64_t>>
    by_resident(const std::string& tenant, const std::string& resident) = 0;
    // The highest number given so far (0 = none): tickets are numbered 1..last_number, so the
    // figures (handlers/kpis) read every ticket without an index of their own.
    virtual boost::asio::awaitable<std::int64_t> last_number(const std::string& tenant) = 0;
};

// The store on Redis (the production one).
class redis_ticket_store final : public ticket_store {
public:
    explicit redis_ticket_store(redis::connection& conn) : conn_(conn) {}

    boost::asio::awaitable<open_ticket_result> open(const open_ticket_request& req) override;
    boost::asio::awaitable<std::optional<ticket_record>> get(const std::string& tenant,
                                                             std::int64_t number) override;
    boost::asio::awaitable<ticket_change_result>
    change(const std::string& tenant, std::int64_t number, const ticket_change& c) override;
    boost::asio::awaitable<std::vector<ticket_event>> history(const std::string& tenant,
                                                              std::int64_t number) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    open_tickets(const std::string& tenant) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    by_resident(const std::string& tenant, const std::string& resident) override;
    boost::asio::awaitable<std::int64_t> last_number(const std::string& tenant) override;

private:
    redis::connection& conn_;
};

// The ticket as stored: field/value pairs of the hash, and back. Both implementations use these,
// so a memory ticket reads back exactly as a Redis one.
std::vector<std::pair<std::string, std::string>> ticket_fields(const open_ticket_request& req);
ticket_record decode_ticket(const std::vector<std::pair<std::string, std::string>>& fields);
// What a move to `to` does to the open index: "open" (add; a no-op when it is there), "close"
// (remove) or "" (no move). Decided from the target alone, so the script needs no second read.
std::string_view open_index_action(std::optional<ticket_status> to);

} // namespace daiban::state
