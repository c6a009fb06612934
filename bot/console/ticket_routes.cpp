// bot layer, console: what residents bring besides cases — emergencies, complaints, suggestions,
// consultations (tickets, state/ticket_store).
//   GET  /api/v1/tickets?kind=&open=1&cursor=&limit=   tickets within the agent's reach, newest
//                                                      first
//   GET  /api/v1/tickets/{number}                      one ticket with its history
//   POST /api/v1/tickets/{number}/actions              ack | on_site | stand_down | answer |
//                                                      to_case | learn, run as the typed commands
//                                                      (收到 3, 到场 3, 解除 3 备注, 答复 5 …,
//                                                      转代办 3, 入库 5)
// Complaints never reach a village agent's console (they go to the township: the agent may be
// the one complained about), and an anonymous ticket shows no name.
#include "bot/console/service.hpp"
#include "bot/log.hpp"
#include "handlers/case_support.hpp"

#include <nlohmann/json.hpp>

namespace daiban::bot::console {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

const char* kind_label(state::ticket_kind k) {
    switch (k) {
    case state::ticket_kind::emergency:
        return "急事";
    case state::ticket_kind::complaint:
        return "投诉";
    case state::ticket_kind::suggestion:
        return "建议";
    case state::ticket_kind::consultation:
        return "咨询";
    }
    return "";
}

const char* status_label(state::ticket_status s) {
    switch (s) {
    case state::ticket_status::open:
        return "待处理";
    case state::ticket_status::acknowledged:
        return "已收到";
    case state::ticket_status::on_site:
        return "已到场";
    case state::ticket_status::answered:
        return "已答复";
    case state::ticket_status::closed:
        return "已处理完毕";
    case state::ticket_status::withdrawn:
        return "居民已撤回";
    }
    return "";
}

std::string event_label(const std::string& what, state::ticket_kind kind) {
    if (what == "opened") return "上报";
    if (what == "acknowledged") return "收到";
    if (what == "on_site") return "到场";
    if (what == "answered") return "答复";
    if (what == "closed") return kind == state::ticket_kind::emergency ? "解除" : "办结";
    if (what == "rated") return "居民评价";
    if (what == "reopened") return "评价不满意，重新交办";
    if (what == "placed") return "确认村";
    if (what == "escalated") return "上报上级";
    if (what == "deadline:soon") return "临近时限提醒";
    if (what == "deadline:overdue") return "超期催办";
    if (what == "learned") return "入库";
    if (what == "to_case") return "转为代办件";
    if (what == "withdrawn") return "居民撤回";
    if (what == "photo") return "补充照片";
    if (what == "location") return "发送位置";
    if (what == "note") return "补充说明";
    return what;
}

json summary(const model::tenant_data& d, const state::ticket_record& t) {
    const auto* v = d.org_.find_village(t.village);
    return {{"number", t.number},
            {"kind", state::to_string(t.kind)},
            {"kind_label", kind_label(t.kind)},
            {"status", state::to_string(t.status)},
            {"status_label", status_label(t.status)},
            {"open", state::is_open(t.status)},
            {"text", t.text},
            {"resident_name", t.anonymous ? "匿名" : t.resident_name},
            {"village", t.village},
            {"village_name", v ? v->name : ""},
            {"owner", t.owner},
            {"owner_name", t.owner.empty() ? "" : handlers::cases::agent_name(&d, t.owner)},
            {"reported_at", t.reported_at},
            {"acknowledged_at", t.acknowledged_at},
            {"on_site_at", t.on_site_at},
            {"answered_at", t.answered_at},
            {"closed_at", t.closed_at},
            {"acknowledged_by", t.acknowledged_by},
            {"acknowledged_by_name",
             t.acknowledged_by.empty() ? "" : handlers::cases::agent_name(&d, t.acknowledged_by)},
            {"due", t.due},
            {"answer", t.answer},
            {"rating", t.rating},
            {"case_number", t.case_number}};
}

// What the agent may do with the ticket now, as the chat commands allow it (the bot still has
// the last word: a refused command answers 409 with its reason).
json actions_for(const staff& st, const state::ticket_record& t) {
    json a = json::array();
    const bool open = state::is_open(t.status);
    if (t.kind == state::ticket_kind::emergency) {
        if (!open) return a;
        if (t.acknowledged_at == 0) a.push_back("ack");
        if (t.on_site_at == 0) a.push_back("on_site");
        a.push_back("stand_down");
        if (t.case_number == 0) a.push_back("to_case");
        return a;
    }
    // Complaints are answered by the township or the county, never a village agent (who may be
    // the one complained about; such a complaint does not even reach them).
    if (open && !(t.kind == state::ticket_kind::complaint && st.agent->role == "village"))
        a.push_back("answer");
    if (t.kind == state::ticket_kind::consultation && !t.answer.empty()) a.push_back("learn");
    return a;
}

asio::awaitable<std::variant<state::ticket_record, http::response>>
ticket_in_reach(service& s, const staff& st, const std::string& ref) {
    const auto n = positive_number(ref);
    if (!n) co_return http::json_error(400, "bad_request", "the ticket number must be a number");
    auto* stores = co_await s.stores_here();
    auto t = co_await stores->tickets.get(st.tenant, *n);
    if (!t) co_return http::json_error(404, "not_found", "没有这一条");
    if (!sees_ticket(st, *t)) co_return forbidden_out_of_scope(st, "ticket " + std::to_string(*n));
    co_return std::move(*t);
}

} // namespace

void add_ticket_routes(http::router& r, service& s) {
    add_signed(r, s, "GET", "/api/v1/tickets", false,
               [&s](http::request& req, const http::route_params&,
                    const staff& st) -> asio::awaitable<http::response> {
                   const std::string kind = query_param(req, "kind");
                   if (!kind.empty() && !state::parse_ticket_kind(kind))
                       co_return http::json_error(
                           400, "bad_request",
                           "kind must be emergency, complaint, suggestion or consultation", "kind");
                   const bool open_only = query_param(req, "open") == "1";
                   std::int64_t limit = 20;
                   if (const auto l = positive_number(query_param(req, "limit")))
                       limit = std::min<std::int64_t>(*l, 100);
                   auto* stores = co_await s.stores_here();
                   std::int64_t from = co_await stores->tickets.last_number(st.tenant);
                   if (const auto c = positive_number(query_param(req, "cursor")))
                       from = std::min(from, *c - 1);
                   json list = json::array();
                   std::int64_t last = 0;
                   bool more = false;
                   for (std::int64_t n = from; n >= 1; --n) {
                       const auto t = co_await stores->tickets.get(st.tenant, n);
                       if (!t || !sees_ticket(st, *t)) continue;
                       if (!kind.empty() && state::to_string(t->kind) != kind) continue;
                       if (open_only && !state::is_open(t->status)) continue;
                       if (static_cast<std::int64_t>(list.size()) == limit) {
                           more = true;
                           break;
                       }
                       list.push_back(summary(st.data(), *t));
                       last = n;
                   }
                   json out{{"tickets", std::move(list)}};
                   out["next_cursor"] = more ? json(std::to_string(last)) : json(nullptr);
                   co_return json_ok(out.dump(-1, ' ', false, json::error_handler_t::replace));
               });

    add_signed(r, s, "GET", "/api/v1/tickets/{number}", false,
               [&s](http::request&, const http::route_params& p,
                    const staff& st) -> asio::awaitable<http::response> {
                   auto found = co_await ticket_in_reach(s, st, p.at("number"));
                   if (auto* e = std::get_if<http::response>(&found)) co_return std::move(*e);
                   const auto& t = std::get<state::ticket_record>(found);
                   auto* stores = co_await s.stores_here();
                   const auto history = co_await stores->tickets.history(st.tenant, t.number);
                   json out = summary(st.data(), t);
                   out["actions"] = actions_for(st, t);
                   out["history"] = json::array();
                   for (const auto& e : history) {
                       std::string who = handlers::cases::agent_name(&st.data(), e.who);
                       if (e.who == t.resident)
                           who = t.anonymous ? "居民（匿名）" : "居民" + t.resident_name;
                       else if (e.who == "bot")
                           who = "系统";
                       out["history"].push_back({{"at", e.at},
                                                 {"what", e.what},
                                                 {"label", event_label(e.what, t.kind)},
                                                 {"who_name", who},
                                                 {"why", e.why}});
                   }
                   co_return json_ok(out.dump(-1, ' ', false, json::error_handler_t::replace));
               });

    add_signed(
        r, s, "POST", "/api/v1/tickets/{number}/actions", true,
        [&s](http::request& req, const http::route_params& p,
             const staff& st) -> asio::awaitable<http::response> {
            auto found = co_await ticket_in_reach(s, st, p.at("number"));
            if (auto* e = std::get_if<http::response>(&found)) co_return std::move(*e);
            const auto& t = std::get<state::ticket_record>(found);
            const auto j = json::parse(req.body, nullptr, false);
            const std::string action =
                j.is_object() && j.contains("action") && j["action"].is_string()
                    ? j["action"].get<std::string>()
                    : "";
            std::string text = j.is_object() && j.contains("text") && j["text"].is_string()
                                   ? j["text"].get<std::string>()
                                   : "";
            for (auto& ch : text)
                if (ch == '\n' || ch == '\r') ch = ' ';
            const std::string n = std::to_string(t.number);
            std::string command;
            if (action == "ack")
                command = "收到 " + n;
            else if (action == "on_site")
                command = "到场 " + n;
            else if (action == "stand_down")
                command = "解除 " + n + (text.empty() ? "" : " " + text);
            else if (action == "to_case")
                command = "转代办 " + n;
            else if (action == "learn")
                command = "入库 " + n;
            else if (action == "answer") {
                if (text.empty())
                    co_return http::json_error(400, "bad_request",
                                               "答复 needs the text for the resident", "text");
                command = "答复 " + n + " " + text;
            } else
                co_return http::json_error(
                    400, "bad_request",
                    "action must be ack, on_site, stand_down, answer, to_case or learn", "action");
            auto* stores = co_await s.stores_here();
            const auto history_before = co_await stores->tickets.history(st.tenant, t.number);
            const auto ran = co_await s.run_command(st, command);
            if (!ran)
                co_return http::json_error(503, "redis_unavailable",
                                           "Redis is not reachable; nothing was done, try again");
            const auto history_after = co_await stores->tickets.history(st.tenant, t.number);
            const bool done = history_after.size() > history_before.size();
            log::info("event=console_action tenant=" + st.tenant + " agent=" + st.agent->id +
                      " ticket=" + n + " action=" + action + " done=" + (done ? "yes" : "no"));
            if (!done) co_return http::json_error(409, "not_allowed", *ran);
            co_return json_ok(json{{"ok", true}, {"message", *ran}}.dump());
        });
}

} // namespace daiban::bot::console
