// bot layer, console: cases.
//   GET  /api/v1/cases                       the cases within the agent's reach (or a scope of it),
//                                            filtered, newest
//                                            first, by pages (cursor = the last number shown)
//   GET  /api/v1/cases/{number}              one case: materials, history, the mandate, actions
//   GET  /api/v1/cases/{number}/files/{id}   a material's file; each view joins the case's trail
//   GET  /api/v1/cases/{number}/audit        that trail (委托: who saw the resident's papers)
//   POST /api/v1/cases/{number}/actions      claim | approve | return | done | transfer, run as the
//                                            agent's typed command (接单 12 …) through the
//                                            dispatcher (service::run_command)
#include "bot/console/service.hpp"
#include "bot/log.hpp"
#include "handlers/case_support.hpp"
#include "handlers/kpis.hpp"
#include "handlers/texts.hpp"
#include "state/keys.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace daiban::bot::console {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

const handlers::texts& words() {
    return handlers::texts::zh_hans();
}

json case_summary(const model::tenant_data& d, const state::case_record& c, std::int64_t today) {
    const auto* v = d.org_.find_village(c.village);
    return {{"number", c.number},
            {"code", c.code},
            {"service", c.service},
            {"service_name", c.service_name},
            {"village", c.village},
            {"village_name", handlers::cases::village_name(&d, c.village)},
            {"township", v ? v->township : ""},
            {"resident_name", c.resident_name},
            {"owner", c.owner},
            {"owner_name", handlers::cases::agent_name(&d, c.owner)},
            {"status", state::to_string(c.status)},
            {"status_label", handlers::cases::status_text(words(), c.status)},
            {"due", c.due},
            {"overdue", handlers::kpis::overdue(c, today)},
            {"opened_at", c.opened_at},
            {"updated_at", c.updated_at},
            {"received", c.received_count()},
            {"total", static_cast<int>(c.materials.size())},
            {"rating", c.rating}};
}

std::string material_state_label(const std::string& s) {
    if (s == "received") return "已收到，待审核";
    if (s == "accepted") return "已通过";
    if (s == "rejected") return "已退回";
    return "未收到";
}

// What the agent may do with the case now, as the chat commands allow it.
json actions_for(const staff& st, const state::case_record& c) {
    json a = json::array();
    if (!state::is_open(c.status)) return a;
    // 接单 is the owner's (首问负责) while nobody has taken it; others hand it on with 转办.
    if (c.claimed_by.empty() && (c.owner.empty() || c.owner == st.agent->id)) a.push_back("claim");
    bool any_received = false;
    for (const auto& m : c.materials)
        any_received = any_received || m.state == "received" || m.state == "accepted";
    if (any_received) {
        a.push_back("approve");
        a.push_back("return");
    }
    a.push_back("done");
    if (c.level != "county") a.push_back("transfer");
    return a;
}

// The mandate (委托) the resident gave by opening the case: what, with which papers, how long,
// and when.
json mandate_of(const state::case_record& c, const std::vector<state::case_event>& history) {
    std::int64_t at = c.opened_at;
    for (const auto& e : history)
        if (e.what == "opened") {
            at = e.at;
            break;
        }
    // Recorded when the case opened; cases older than that get the same words from their data.
    std::string text = c.mandate;
    if (text.empty()) {
        std::string papers;
        for (const auto& m : c.materials)
            papers += (papers.empty() ? "" : "、") + m.name;
        text = words().format(papers.empty() ? "mandate_no_materials" : "mandate",
                              {{"item", c.service_name}, {"materials", papers}});
    }
    return {{"text", text}, {"at", at}, {"by", c.resident_name}, {"recorded", !c.mandate.empty()}};
}

// A case of the tenant within the agent's reach, or the response that says why not.
asio::awaitable<std::variant<state::case_record, http::response>>
case_in_reach(service& s, const staff& st, const std::string& ref) {
    const auto n = positive_number(ref);
    if (!n) co_return http::json_error(400, "bad_request", "the case number must be a number");
    auto* stores = co_await s.stores_here();
    auto c = co_await stores->cases.get(st.tenant, *n);
    if (!c) co_return http::json_error(404, "not_found", "没有这个代办件");
    if (!st.scope.covers_village(c->village))
        co_return forbidden_out_of_scope(st, "case " + std::to_string(*n));
    co_return std::move(*c);
}

std::string mime_of_path(const std::string& path) {
    if (path.ends_with(".png")) return "image/png";
    if (path.ends_with(".pdf")) return "application/pdf";
    return "image/jpeg";
}

} // namespace

void add_case_routes(http::router& r, service& s) {
    add_signed(
        r, s, "GET", "/api/v1/cases", false,
        [&s](http::request& req, const http::route_params&,
             const staff& st) -> asio::awaitable<http::response> {
            const auto& d = st.data();
            // One declaration each: GCC 12 mishandles several in one inside a coroutine.
            const std::string status = query_param(req, "status");
            const std::string village = query_param(req, "village");
            const std::string owner = query_param(req, "owner");
            const std::string service_id = query_param(req, "service");
            const std::string q = query_param(req, "q");
            const bool open_only = query_param(req, "open") == "1";
            const bool overdue_only = query_param(req, "overdue") == "1";
            if (!status.empty() && !state::parse_case_status(status))
                co_return http::json_error(400, "bad_request",
                                           "status must be one of accepted, collecting, ready, "
                                           "in_progress, returned, transferred, done, rated, "
                                           "cancelled",
                                           "status");
            if (!village.empty() && !st.scope.covers_village(village))
                co_return forbidden_out_of_scope(st, "village " + village);
            // scope=township:<id> (or village:<id>, county): the county looking at one township.
            const std::string scope = query_param(req, "scope");
            if (!scope.empty() && !st.scope.covers_scope(scope))
                co_return forbidden_out_of_scope(st, "scope " + scope);
            auto in_scope = [&](const model::village& v) {
                if (scope.empty() || scope == "county") return true;
                if (scope.starts_with("township:")) return v.township == scope.substr(9);
                return scope == "village:" + v.id;
            };
            std::int64_t limit = 20;
            if (const auto l = positive_number(query_param(req, "limit")))
                limit = std::min<std::int64_t>(*l, 100);
            std::int64_t before = INT64_MAX;
            if (const auto c = positive_number(query_param(req, "cursor"))) before = *c;

            auto* stores = co_await s.stores_here();
            std::vector<std::int64_t> numbers;
            for (const auto* v : st.scope.villages) {
                if ((!village.empty() && v->id != village) || !in_scope(*v)) continue;
                const auto some = co_await stores->cases.by_village(st.tenant, v->id);
                numbers.insert(numbers.end(), some.begin(), some.end());
            }
            std::sort(numbers.begin(), numbers.end(), std::greater<>());
            numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
            const auto today = s.today_days();
            json list = json::array();
            std::int64_t last = 0;
            bool more = false;
            for (const auto n : numbers) {
                if (n >= before) continue;
                const auto c = co_await stores->cases.get(st.tenant, n);
                if (!c) continue;
                if (!status.empty() && state::to_string(c->status) != status) continue;
                if (open_only && !state::is_open(c->status)) continue;
                if (overdue_only && !handlers::kpis::overdue(*c, today)) continue;
                if (!owner.empty() && c->owner != owner) continue;
                if (!service_id.empty() && c->service != service_id) continue;
                if (!q.empty() && c->code.find(q) == std::string::npos &&
                    c->resident_name.find(q) == std::string::npos &&
                    c->service_name.find(q) == std::string::npos && std::to_string(c->number) != q)
                    continue;
                if (static_cast<std::int64_t>(list.size()) == limit) {
                    more = true;
                    break;
                }
                list.push_back(case_summary(d, *c, today));
                last = n;
            }
            json out{{"cases", std::move(list)}};
            out["next_cursor"] = more ? json(std::to_string(last)) : json(nullptr);
            co_return json_ok(out.dump());
        });

    add_signed(r, s, "GET", "/api/v1/cases/{number}", false,
               [&s](http::request&, const http::route_params& p,
                    const staff& st) -> asio::awaitable<http::response> {
                   auto found = co_await case_in_reach(s, st, p.at("number"));
                   if (auto* e = std::get_if<http::response>(&found)) co_return std::move(*e);
                   const auto& c = std::get<state::case_record>(found);
                   const auto& d = st.data();
                   auto* stores = co_await s.stores_here();
                   const auto history = co_await stores->cases.history(st.tenant, c.number);
                   json out = case_summary(d, c, s.today_days());
                   out["materials"] = json::array();
                   for (const auto& m : c.materials) {
                       json files = json::array();
                       for (const auto& f : m.files)
                           files.push_back({{"id", f},
                                            {"url", "/api/v1/cases/" + std::to_string(c.number) +
                                                        "/files/" + f}});
                       out["materials"].push_back({{"id", m.id},
                                                   {"name", m.name},
                                                   {"state", m.state},
                                                   {"state_label", material_state_label(m.state)},
                                                   {"reason", m.reason},
                                                   {"files", std::move(files)}});
                   }
                   out["history"] = json::array();
                   for (const auto& e : history) {
                       const auto w = handlers::cases::history_words(words(), c, e);
                       std::string who_name = e.who == "bot" ? "系统"
                                              : e.who == c.resident
                                                  ? "居民" + c.resident_name
                                                  : handlers::cases::agent_name(&d, e.who);
                       out["history"].push_back({{"at", e.at},
                                                 {"who", e.who},
                                                 {"who_name", who_name},
                                                 {"what", e.what},
                                                 {"label", w.what},
                                                 {"why", w.why}});
                   }
                   out["mandate"] = mandate_of(c, history);
                   out["actions"] = actions_for(st, c);
                   out["level"] = c.level;
                   out["claimed_by_name"] =
                       c.claimed_by.empty() ? "" : handlers::cases::agent_name(&d, c.claimed_by);
                   out["note"] = c.note;
                   co_return json_ok(out.dump());
               });

    add_signed(r, s, "GET", "/api/v1/cases/{number}/files/{file}", false,
               [&s](http::request& req, const http::route_params& p,
                    const staff& st) -> asio::awaitable<http::response> {
                   auto found = co_await case_in_reach(s, st, p.at("number"));
                   if (auto* e = std::get_if<http::response>(&found)) co_return std::move(*e);
                   const auto& c = std::get<state::case_record>(found);
                   const std::string& file = p.at("file");
                   bool of_this_case = false;
                   for (const auto& m : c.materials)
                       of_this_case = of_this_case || std::find(m.files.begin(), m.files.end(),
                                                                file) != m.files.end();
                   if (!of_this_case)
                       co_return http::json_error(404, "not_found", "这个代办件没有这份材料");
                   auto* redis = co_await s.redis_here();
                   state::redis::command hmget{"HMGET", state::keys::media(st.tenant, file), "path",
                                               "mime"};
                   auto meta = co_await redis->exec(std::move(hmget));
                   if (!meta || !meta->is_array() || meta->elements.size() != 2 ||
                       meta->elements[0].str.empty())
                       co_return http::json_error(503, "redis_unavailable",
                                                  "the file's record cannot be read; try again");
                   const std::string path = meta->elements[0].str;
                   std::ifstream in(path, std::ios::binary);
                   std::stringstream bytes;
                   bytes << in.rdbuf();
                   if (!in) {
                       log::error("event=console_file_missing tenant=" + st.tenant +
                                  " case=" + std::to_string(c.number) + " path=" + path);
                       co_return http::json_error(404, "not_found",
                                                  "文件不在存储里了，请联系管理员");
                   }
                   // Written before the bytes leave: a view that is not in the trail never
                   // happened.
                   auto* store = co_await s.console_here();
                   const state::file_view view{s.now(), st.agent->id, file, req.remote};
                   co_await store->log_view(st.tenant, c.number, view);
                   http::response res;
                   res.content_type =
                       meta->elements[1].str.empty() ? mime_of_path(path) : meta->elements[1].str;
                   res.body = bytes.str();
                   res.headers.emplace_back("Cache-Control", "private, no-store");
                   res.headers.emplace_back("X-Content-Type-Options", "nosniff");
                   res.log_note = "file_view";
                   co_return res;
               });

    add_signed(r, s, "GET", "/api/v1/cases/{number}/audit", false,
               [&s](http::request&, const http::route_params& p,
                    const staff& st) -> asio::awaitable<http::response> {
                   auto found = co_await case_in_reach(s, st, p.at("number"));
                   if (auto* e = std::get_if<http::response>(&found)) co_return std::move(*e);
                   const auto& c = std::get<state::case_record>(found);
                   auto* store = co_await s.console_here();
                   const auto views = co_await store->views(st.tenant, c.number);
                   json out = json::array();
                   for (const auto& v : views)
                       out.push_back({{"at", v.at},
                                      {"who", v.who},
                                      {"who_name", handlers::cases::agent_name(&st.data(), v.who)},
                                      {"what", "view_file"},
                                      {"file", v.file},
                                      {"from", v.from}});
                   co_return json_ok(json{{"entries", std::move(out)}}.dump());
               });

    add_signed(
        r, s, "POST", "/api/v1/cases/{number}/actions", true,
        [&s](http::request& req, const http::route_params& p,
             const staff& st) -> asio::awaitable<http::response> {
            auto found = co_await case_in_reach(s, st, p.at("number"));
            if (auto* e = std::get_if<http::response>(&found)) co_return std::move(*e);
            const auto& c = std::get<state::case_record>(found);
            const auto j = json::parse(req.body, nullptr, false);
            auto field = [&](const char* k) -> std::string {
                return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>()
                                                                          : std::string();
            };
            const std::string action = field("action");
            const std::string material = field("material");
            // One line: a newline would end the command early.
            auto one_line = [](std::string t) {
                for (auto& ch : t)
                    if (ch == '\n' || ch == '\r') ch = ' ';
                return t;
            };
            const std::string reason = one_line(field("reason"));
            const std::string note = one_line(field("note"));
            const std::string n = std::to_string(c.number);
            if (!material.empty() && !c.material(material))
                co_return http::json_error(
                    400, "bad_request", "this case has no material '" + material + "'", "material");
            std::string command;
            if (action == "claim")
                command = "接单 " + n;
            else if (action == "approve")
                command = "通过 " + n + (material.empty() ? "" : " " + material);
            else if (action == "return") {
                if (material.empty() || reason.empty())
                    co_return http::json_error(400, "bad_request",
                                               "退回 needs the material and a reason for the "
                                               "resident",
                                               material.empty() ? "material" : "reason");
                command = "补正 " + n + " " + material + " " + reason;
            } else if (action == "done") {
                command = "办结 " + n + (note.empty() ? "" : " " + note);
            } else if (action == "transfer") {
                // 转办 up a level: 镇 (the township) or 县 (the county), with the reason.
                const std::string level = field("level");
                if ((level != "township" && level != "county") || reason.empty())
                    co_return http::json_error(400, "bad_request",
                                               "转办 needs level (township or county) and a reason",
                                               reason.empty() ? "reason" : "level");
                command = "转办 " + n + (level == "county" ? " 县 " : " 镇 ") + reason;
            } else {
                co_return http::json_error(
                    400, "bad_request", "action must be claim, approve, return, done or transfer",
                    "action");
            }
            auto* stores = co_await s.stores_here();
            const auto history_before = co_await stores->cases.history(st.tenant, c.number);
            const auto before = history_before.size();
            const auto ran = co_await s.run_command(st, command);
            if (!ran)
                co_return http::json_error(503, "redis_unavailable",
                                           "Redis is not reachable; nothing was done, try again");
            const std::string& said = *ran;
            const auto history_after = co_await stores->cases.history(st.tenant, c.number);
            const auto after = history_after.size();
            log::info("event=console_action tenant=" + st.tenant + " agent=" + st.agent->id +
                      " case=" + n + " action=" + action +
                      " done=" + (after > before ? "yes" : "no"));
            if (after == before) co_return http::json_error(409, "not_allowed", said);
            co_return json_ok(json{{"ok", true}, {"message", said}}.dump());
        });
}

} // namespace daiban::bot::console
