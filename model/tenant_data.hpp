// model layer: a tenant's data (DESIGN §3 "Tenant data"): the service catalogue, its offices,
// the organisation (townships, villages, agents) and the policy FAQ. Loaded once per (re)load
// from deploy/tenants/<id>/{catalog,org,faq}.json and then shared read-only
// (std::shared_ptr<const ...>) by every shard; a reload builds a new object and swaps the pointer.
#pragma once

#include "model/faq.hpp"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::model {

// The weekday keys of `office::hours` and `office::service_days`, Monday first (ISO order, so
// `weekday_keys[d.iso_weekday() - 1]` is the key of civil_date d).
inline constexpr std::array<std::string_view, 7> weekday_keys = {"mon", "tue", "wed", "thu",
                                                                 "fri", "sat", "sun"};

// One opening period of an office, in minutes after midnight: [start_minute, end_minute).
struct time_period {
    int start_minute = 0;
    int end_minute = 0;
    auto operator<=>(const time_period&) const = default;
};

// "08:30-11:30" -> {510, 690}; nullopt unless exactly HH:MM-HH:MM with a valid time on both
// sides and start < end (24:00 is allowed as an end, for halls open until midnight).
std::optional<time_period> parse_period(std::string_view text);

struct material {
    std::string id;
    std::string name;
    std::vector<std::string> aliases;
    std::string kind = "photo"; // photo | file | original | info
    int count = 1;
    std::string note;
};

struct service_item {
    std::string id;
    std::string name;
    std::vector<std::string> aliases;
    std::string category;
    std::string level = "village"; // village | township | county
    std::string mode = "proxy";    // proxy (代办) | accompany (领办)
    int time_limit_days = 0;       // working days
    std::string fee;
    std::string process;
    std::string conditions; // who qualifies; empty when the catalogue does not say
    std::string payment;    // the yearly contribution and its source; empty when none
    std::string benefit;    // what the item pays a resident and how it is worked out; "" unsaid
    std::string office;     // office id
    std::vector<material> materials;
    // The material a reported emergency's photos are filed under when an agent turns the report
    // into this item's case (转代办 N); empty: no emergency becomes this item.
    std::string emergency_photos;
};

struct office {
    std::string id;
    std::string name;
    std::string address;
    std::string phone;
    // Weekday ("mon".."sun") -> opening periods "HH:MM-HH:MM".
    std::map<std::string, std::vector<std::string>> hours;
    int slot_minutes = 30;
    int capacity = 3;
    std::vector<std::string> closed; // YYYY-MM-DD
    // Centralised service days (集中办公日, e.g. {"wed"}): appointments are offered only on these
    // weekdays. Empty = every open day. An addition to the DESIGN shape (optional in JSON).
    std::vector<std::string> service_days;
    std::string note; // optional line for residents
};

struct catalog {
    std::string version;
    std::vector<service_item> services;
    std::vector<office> offices;

    const service_item* find_service(const std::string& id) const;
    const office* find_office(const std::string& id) const;
};

struct township {
    std::string id;
    std::string name;
    std::string supervisor; // agent id
    std::string group;      // group chat id
    std::string office;     // the township's service hall (an office id); optional in JSON
};

struct village {
    std::string id;
    std::string name;
    std::vector<std::string> aliases;
    std::string township;            // township id
    std::vector<std::string> agents; // agent ids; the first is the contact agent
    std::string group;               // the village's group chat id
};

struct agent {
    std::string id;
    std::string name;
    std::string phone;
    std::string role = "village";           // village | township | county
    std::map<std::string, std::string> ids; // channel -> platform id ("hook", "wechat", "wecom")
};

// A household (户) and its contact cadre (包户干部, seed 003: every household has a cadre
// assigned). Optional in org.json: a tenant without households reaches everyone through the
// village's first agent.
struct household {
    std::string id;
    std::string head;                       // the householder's name, as agents know them
    std::string village;                    // village id
    std::string contact;                    // agent id; empty = the village's first agent
    std::map<std::string, std::string> ids; // the head's accounts: channel -> platform id
    std::string phone;                      // optional: for households the bot cannot message
};

// How long staff have, per kind of ticket (org.json "time_limits", every key optional): answers
// in working days (民意快线's limits in the seeds' counties are the defaults), an emergency's
// escalations in minutes without 收到.
struct time_limits {
    int complaint_days = 5;
    int suggestion_days = 10;
    int consultation_days = 3;
    int emergency_township_minutes = 10;
    int emergency_county_minutes = 30;
};

struct org {
    std::vector<township> townships;
    std::vector<village> villages;
    std::vector<agent> agents;
    std::vector<household> households;
    std::string county_admin; // agent id
    std::string county_group;
    model::time_limits limits;

    const village* find_village(const std::string& id) const;
    const township* find_township(const std::string& id) const;
    const agent* find_agent(const std::string& id) const;
    // The agent whose platform id on `channel` is `platform_id`, if any. On the staff console
    // (channel "console") an agent is signed in under their org.json id.
    const agent* agent_by_platform_id(const std::string& channel,
                                      const std::string& platform_id) const;
    // Is `a` one of the village's own agents?
    static bool is_agent_of(const village& v, const agent& a);
    // May `a` see the village's cases and figures (统计, the console)? The village's own agents,
    // its township's supervisor and the county's staff: the one rule of reach.
    bool reaches(const agent& a, const village& v) const;
    const household* find_household(const std::string& id) const;
    // The household whose head writes from `platform_id` on `channel`, if any.
    const household* household_by_platform_id(const std::string& channel,
                                              const std::string& platform_id) const;
    // Who answers for a resident of `v` (the one rule, for cases, emergencies, campaigns and
    // the 48-hour relay): their household's contact cadre when the household names one, else
    // the village's first agent (首问负责). `h` may be null (a resident of no known household).
    const agent* contact_agent(const village& v, const household* h) const;
};

struct tenant_data {
    std::string dir; // where it was loaded from
    catalog catalog_;
    org org_;
    faq_index faq_; // from faq.json; empty when the tenant has none

    // Where `item` is handled for a resident of `township_id` (may be empty when unknown): county
    // items at their own office; village and township items at the resident's township hall when
    // the township names one, else at the item's default office. Null only for an unknown office.
    const office* office_for(const service_item& item, const std::string& township_id) const;
};

// One problem found while loading or checking tenant data: which file, where in it (a JSON
// path such as `services[3].materials[0].id`), and what is wrong. `daiban check` prints these.
struct data_problem {
    std::string file;
    std::string path;
    std::string message;
};

// Loads and validates `<dir>/catalog.json`, `<dir>/org.json` and, when the tenant has one,
// `<dir>/faq.json` (model/faq.hpp). On any problem returns nullptr and fills `problems` (every
// problem, not just the first).
std::shared_ptr<const tenant_data> load_tenant_data(const std::string& dir,
                                                    std::vector<data_problem>& problems);

} // namespace daiban::model
