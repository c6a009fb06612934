// bot layer, console: what every console route shares — the stores of the shard a request runs
// on, who is signed in (session cookie, CSRF), the agent's reach, and the JSON answers. Routes
// are grouped by subject: auth_routes, case_routes, ticket_routes, figure_routes, event_routes,
// page_routes.
#pragma once

#include "bot/console/console.hpp"
#include "bot/http/message.hpp"
#include "handlers/stores.hpp"
#include "model/tenant_data.hpp"
#include "state/console_store.hpp"
#include "state/ticket_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace daiban::bot::console {

// What an agent may see: villages (and, for supervisors and the county, townships).
struct reach {
    std::string kind; // county | township | village
    std::string id;   // township or village id ("" for the county)
    std::string name;
    std::vector<const model::township*> townships;
    std::vector<const model::village*> villages;

    bool covers_village(const std::string& id) const;
    // "county", "township:<id>" or "village:<id>" within this reach.
    bool covers_scope(const std::string& scope) const;
    std::string own_scope() const;
};
reach reach_of(const model::tenant_data& d, const model::agent& a);

// The signed-in agent of a request.
struct staff;
// May the agent see this ticket? Within reach by its village (a ticket of no known village: the
// county only); complaints never reach a village agent (they go to the township: the agent may
// be the one complained about), as in chat. The one rule for lists, pages and the live feed.
bool sees_ticket(const staff& st, const state::ticket_record& t);

struct staff {
    std::string tenant;
    std::shared_ptr<const tenant_runtime> runtime;
    const model::agent* agent = nullptr;
    state::console_session session;
    std::string digest; // of the session token
    reach scope;

    const model::tenant_data& data() const { return *runtime->data; }
};

// A route's answer when it cannot go on (401, 403, …) or the staff member it can go on with.
using signed_in_or_error = std::variant<staff, http::response>;

class service {
public:
    explicit service(const environment& env);
    ~service();

    const environment& env() const { return env_; }
    // The stores of the shard this coroutine runs on (every connection is accepted on a shard).
    boost::asio::awaitable<handlers::stores*> stores_here();
    boost::asio::awaitable<state::console_store*> console_here();
    boost::asio::awaitable<state::redis::connection*> redis_here();

    // Who sent this request: the session cookie, a live session, an agent of its tenant with
    // tenant data. `changes_state`: the X-CSRF-Token header must match the session's.
    boost::asio::awaitable<signed_in_or_error> signed_in(const http::request& req,
                                                         bool changes_state);
    // Starts a session for `agent`: the Set-Cookie header value and the session.
    boost::asio::awaitable<std::pair<std::string, state::console_session>>
    start_session(const std::string& tenant, const std::string& agent);
    std::string clear_cookie() const;
    std::int64_t idle_s() const;

    // Runs `command` (接单 12, 补正 12 invoice 看不清, 答复 5 …) as the agent's own typed command:
    // a turn on the "console" channel through the dispatcher, so the console and the chat share
    // one code path. Returns what the bot said to the agent; what it said to anyone else (the
    // resident, a group) is queued in the outbox as after a typed command. nullopt when Redis
    // failed and nothing ran.
    boost::asio::awaitable<std::optional<std::string>> run_command(const staff& st,
                                                                   std::string command);

    // Runs CPU-heavy work (password hashing) off the shards' threads.
    boost::asio::thread_pool& slow_pool() { return slow_; }

    std::int64_t now() const { return env_.now(); }
    std::int64_t today_days() const; // mainland time

private:
    std::size_t shard_index_here(const boost::asio::any_io_executor& ex) const;

    environment env_;
    std::vector<std::unique_ptr<handlers::redis_stores>> stores_;
    boost::asio::thread_pool slow_{1};
};

// JSON responses.
http::response json_ok(const std::string& body);
http::response forbidden_out_of_scope(const staff& s, std::string_view what);
// A query parameter, percent-decoded; empty when absent.
std::string query_param(const http::request& req, std::string_view name);
// "12" -> 12; nullopt for anything but a positive decimal number (case and ticket numbers,
// cursors, limits in URLs).
std::optional<std::int64_t> positive_number(const std::string& s);
// A cookie's value; empty when absent.
std::string cookie(const http::request& req, std::string_view name);

// router::add, with a store failure (Redis down) answered 503 "try again" instead of the
// server's generic 500.
void add(http::router& r, std::string method, std::string pattern, http::route_handler h);

// add(), for a route only a signed-in agent may use (state-changing ones with the CSRF token):
// the handler gets the agent; everyone else gets 401 or 403.
using staff_handler = std::function<boost::asio::awaitable<http::response>(
    http::request&, const http::route_params&, const staff&)>;
void add_signed(http::router& r,
                service& s,
                std::string method,
                std::string pattern,
                bool changes_state,
                staff_handler h);

void add_auth_routes(http::router& r, service& s);
void add_case_routes(http::router& r, service& s);
void add_ticket_routes(http::router& r, service& s);
void add_figure_routes(http::router& r, service& s);
void add_event_routes(http::router& r, service& s);
void add_page_routes(http::router& r, service& s);

} // namespace daiban::bot::console
