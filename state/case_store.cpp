// state layer: case_store (see case_store.hpp). Case hash fields: number, code, service,
// service_name, catalog_version, resident, resident_name, channel, chat, village, owner,
// claimed_by, status, due, due_days, paused_on, opened_at, updated_at, done_at, rating,
// follow_up, level, note, materials (ids, comma-separated, checklist order), m:<id>:name,
// m:<id>:state, m:<id>:files (sha256 ids, comma-separated), m:<id>:reason.
#include "state/case_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"
#include "state/numbering.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>

namespace daiban::state {

namespace asio = boost::asio;

namespace {

constexpr std::array<std::string_view, 9> status_names = {
    "accepted",    "collecting", "ready", "in_progress", "returned",
    "transferred", "done",       "rated", "cancelled"};

using redis::to_int;

std::vector<std::string> split(const std::string& s) {
    std::vector<std::string> out;
    std::size_t b = 0;
    while (b < s.size()) {
        auto e = s.find(',', b);
        if (e == std::string::npos) e = s.size();
        if (e > b) out.push_back(s.substr(b, e - b));
        b = e + 1;
    }
    return out;
}

case_status status_or(const std::string& s, case_status fallback) {
    return parse_case_status(s).value_or(fallback);
}

std::vector<case_due> decode_dues(const redis::value& v) {
    std::vector<case_due> out;
    for (std::size_t i = 0; i + 1 < v.elements.size(); i += 2)
        out.push_back({to_int(v.elements[i].str), to_int(v.elements[i + 1].str)});
    return out;
}

} // namespace

std::string_view to_string(case_status s) {
    return status_names[static_cast<std::size_t>(s)];
}

std::optional<case_status> parse_case_status(std::string_view s) {
    for (std::size_t i = 0; i < status_names.size(); ++i)
        if (status_names[i] == s) return static_cast<case_status>(i);
    return std::nullopt;
}

bool is_open(case_status s) {
    return s != case_status::done && s != case_status::rated && s != case_status::cancelled;
}

bool can_transition(case_status from, case_status to) {
    using cs = case_status;
    if (from == to) return false;
    switch (from) {
    case cs::accepted:
    case cs::collecting:
    case cs::ready:
    case cs::returned:
    case cs::transferred:
        // Any open case may gather materials, be handled, returned for 补正, go up a level,
        // be closed or withdrawn.
        return to != cs::accepted && to != cs::rated;
    case cs::in_progress:
        return to == cs::returned || to == cs::transferred || to == cs::done || to == cs::cancelled;
    case cs::done:
        return to == cs::rated;
    case cs::rated:
    case cs::cancelled:
        return false;
    }
    return false;
}

std::string allowed_from(case_status to) {
    std::string out;
    for (std::size_t i = 0; i < status_names.size(); ++i)
        if (can_transition(static_cast<case_status>(i), to)) {
            if (!out.empty()) out += ',';
            out += status_names[i];
        }
    return out;
}

const case_material* case_record::material(std::string_view id) const {
    for (const auto& m : materials)
        if (m.id == id) return &m;
    return nullptr;
}

int case_record::received_count() const {
    int n = 0;
    for (const auto& m : materials)
        n += m.state == "received" || m.state == "accepted";
    return n;
}

std::string encode_event(const case_event& e) {
    return nlohmann::json{{"at", e.at}, {"who", e.who}, {"what", e.what}, {"why", e.why}}.dump(
        -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<case_event> decode_event(std::string_view stored) {
    auto j = nlohmann::json::parse(stored, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    return case_event{j.value("at", std::int64_t{0}), j.value("who", ""), j.value("what", ""),
                      j.value("why", "")};
}

case_record decode_case(const redis::value& v) {
    std::map<std::string, std::string, std::less<>> f;
    for (std::size_t i = 0; i + 1 < v.elements.size(); i += 2)
        f[v.elements[i].str] = v.elements[i + 1].str;
    auto get = [&](std::string_view k) -> std::string {
        auto it = f.find(k);
        return it == f.end() ? std::string() : it->second;
    };
    case_record c;
    c.number = to_int(get("number"));
    c.code = get("code");
    c.service = get("service");
    c.service_name = get("service_name");
    c.catalog_version = get("catalog_version");
    c.resident = get("resident");
    c.resident_name = get("resident_name");
    c.channel = get("channel");
    c.chat = get("chat");
    c.village = get("village");
    c.owner = get("owner");
    c.claimed_by = get("claimed_by");
    c.status = status_or(get("status"), case_status::accepted);
    c.due = get("due");
    c.due_days = to_int(get("due_days"));
    c.paused_on = to_int(get("paused_on"));
    c.opened_at = to_int(get("opened_at"));
    c.updated_at = to_int(get("updated_at"));
    c.done_at = to_int(get("done_at"));
    c.rating = static_cast<int>(to_int(get("rating")));
    c.follow_up = get("follow_up") == "1";
    if (auto l = get("level"); !l.empty()) c.level = l;
    c.note = get("note");
    c.mandate = get("mandate");
    for (const auto& id : split(get("materials"))) {
        case_material m;
        m.id = id;
        m.name = get("m:" + id + ":name");
        if (auto s = get("m:" + id + ":state"); !s.empty()) m.state = s;
        m.files = split(get("m:" + id + ":files"));
        m.reason = get("m:" + id + ":reason");
        c.materials.push_back(std::move(m));
    }
    return c;
}

asio::awaitable<open_case_result> redis_case_store::open(const open_case_request& req) {
    case_event first{req.now, req.resident, "opened", req.service_name};
    std::string ids;
    for (const auto& [id, name] : req.materials)
        ids += (ids.empty() ? "" : ",") + id;
    // The fields after the script's first arguments (ARGV[7..]), the same on every try.
    std::vector<std::string> fields{"service",
                                    req.service,
                                    "service_name",
                                    req.service_name,
                                    "catalog_version",
                                    req.catalog_version,
                                    "resident",
                                    req.resident,
                                    "resident_name",
                                    req.resident_name,
                                    "channel",
                                    req.channel,
                                    "chat",
                                    req.chat,
                                    "village",
                                    req.village,
                                    "owner",
                                    req.owner,
                                    "status",
                                    std::string(to_string(case_status::accepted)),
                                    "due",
                                    req.due,
                                    "due_days",
                                    std::to_string(req.due_days),
                                    "level",
                                    "village",
                                    "materials",
                                    ids,
                                    "mandate",
                                    req.mandate};
    for (const auto& [id, name] : req.materials) {
        fields.push_back("m:" + id + ":name");
        fields.push_back(name);
        fields.push_back("m:" + id + ":state");
        fields.push_back("missing");
    }
    const auto source = keys::case_source(req.tenant, req.source_chat, req.source_message);
    const auto seq = keys::case_seq(req.tenant);
    // The number first (state/numbering.hpp): a message that already opened its case costs no
    // script, and the script declares the keys made from the number.
    for (int attempt = 0; attempt < 50; ++attempt) {
        const auto read = co_await read_next_number(conn_, source, seq);
        if (read.opened) co_return open_case_result{*read.opened, false};
        const std::int64_t n = read.next;
        char number[24];
        std::snprintf(number, sizeof number, "%04lld", static_cast<long long>(n));
        const std::string code = req.code_prefix + number;
        std::vector<std::string> k{seq,
                                   source,
                                   keys::feed(req.tenant),
                                   keys::case_hash(req.tenant, n),
                                   keys::case_history(req.tenant, n),
                                   keys::cases_by_resident(req.tenant, req.resident),
                                   keys::cases_by_owner(req.tenant, req.owner),
                                   keys::cases_by_village(req.tenant, req.village),
                                   keys::cases_open(req.tenant),
                                   keys::case_codes(req.tenant)};
        std::vector<std::string> args{std::to_string(n),
                                      code,
                                      std::to_string(req.due_days),
                                      std::to_string(req.now),
                                      encode_event(first),
                                      std::to_string(keys::case_source_ttl_s)};
        args.insert(args.end(), fields.begin(), fields.end());
        auto r = co_await conn_.eval(scripts::open_case(), std::move(k), std::move(args));
        throw_if_failed(r);
        if (!r->is_array() || r->elements.size() != 2) throw_unavailable(errc::unexpected_reply);
        if (r->elements[0].integer == -1) continue; // another case took the number: read again
        co_return open_case_result{r->elements[1].integer, r->elements[0].integer == 1};
    }
    // Fifty cases opened between each read and its script: the store is too busy to go on.
    throw_unavailable(errc::redis_timeout);
}

asio::awaitable<std::optional<case_record>> redis_case_store::get(const std::string& tenant,
                                                                  std::int64_t number) {
    redis::command cmd{"HGETALL", keys::case_hash(tenant, number)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (!r->is_array()) throw_unavailable(errc::unexpected_reply);
    if (r->elements.empty()) co_return std::optional<case_record>{};
    co_return std::optional<case_record>{decode_case(*r)};
}

asio::awaitable<std::optional<std::int64_t>> redis_case_store::resolve(const std::string& tenant,
                                                                       const std::string& ref) {
    std::string s = ref;
    if (!s.empty() && s.front() == '#') s.erase(0, 1);
    std::int64_t n = 0;
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() <= 9) {
        n = to_int(s);
    } else {
        redis::command cmd{"HGET", keys::case_codes(tenant), s};
        auto r = co_await conn_.exec(std::move(cmd));
        throw_if_failed(r);
        if (r->is_nil()) co_return std::optional<std::int64_t>{};
        n = to_int(r->str);
    }
    redis::command ex{"EXISTS", keys::case_hash(tenant, n)};
    auto e = co_await conn_.exec(std::move(ex));
    throw_if_failed(e);
    if (e->integer != 1) co_return std::optional<std::int64_t>{};
    co_return std::optional<std::int64_t>{n};
}

asio::awaitable<std::vector<case_event>> redis_case_store::history(const std::string& tenant,
                                                                   std::int64_t number) {
    redis::command cmd{"LRANGE", keys::case_history(tenant, number), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    std::vector<case_event> out;
    for (const auto& e : r->elements) {
        auto j = nlohmann::json::parse(e.str, nullptr, false);
        if (!j.is_object()) continue;
        out.push_back({j.value("at", std::int64_t{0}), j.value("who", ""), j.value("what", ""),
                       j.value("why", "")});
    }
    co_return out;
}

namespace {
// case_transition.lua: optional status change `to` if the status is in `allowed` ("*" = any),
// the given fields, and one history event — atomically.
asio::awaitable<transition_result>
run_transition(redis::connection& conn,
               const std::string& tenant,
               std::int64_t number,
               std::string to,
               std::string event,
               std::string allowed,
               std::int64_t now,
               std::vector<std::pair<std::string, std::string>> fields) {
    // The owner indexes the script moves the case between are declared (a Cluster runs only
    // declared keys for sure), so the owner is read first; the script refuses (-9) if it changed
    // in between, and is tried again with the new one.
    std::optional<std::string> new_owner;
    for (const auto& [k, v] : fields)
        if (k == "owner") new_owner = v;
    redis::command read{"HGET", keys::case_hash(tenant, number), "owner"};
    auto owner = co_await conn.exec(std::move(read));
    throw_if_failed(owner);
    std::string current = owner->is_nil() ? std::string() : owner->str;
    for (int attempt = 0;; ++attempt) {
        std::vector<std::string> args{current, to, event, allowed, std::to_string(now)};
        for (const auto& [k, v] : fields) {
            args.push_back(k);
            args.push_back(v);
        }
        std::vector<std::string> k{
            keys::case_hash(tenant, number), keys::case_history(tenant, number),
            keys::cases_by_owner(tenant, current),
            keys::cases_by_owner(tenant, new_owner.value_or(current)), keys::cases_open(tenant)};
        auto r = co_await conn.eval(scripts::case_transition(), std::move(k), std::move(args));
        throw_if_failed(r);
        if (!r->is_array() || r->elements.size() != 2) throw_unavailable(errc::unexpected_reply);
        const auto code = r->elements[0].integer;
        if (code == -9 && attempt < 10) {
            current = r->elements[1].str; // the owner changed meanwhile
            continue;
        }
        if (code == -9) throw_unavailable(errc::redis_timeout);
        transition_result out;
        out.outcome = code == 1   ? change_outcome::done
                      : code == 0 ? change_outcome::not_allowed
                                  : change_outcome::not_found;
        out.previous = status_or(r->elements[1].str, case_status::accepted);
        co_return out;
    }
}
} // namespace

asio::awaitable<transition_result>
redis_case_store::transition(const std::string& tenant,
                             std::int64_t number,
                             case_status to,
                             const std::string& who,
                             const std::string& why,
                             std::int64_t now,
                             std::vector<std::pair<std::string, std::string>> fields) {
    case_event e{now, who, "status:" + std::string(to_string(to)), why};
    co_return co_await run_transition(conn_, tenant, number, std::string(to_string(to)),
                                      encode_event(e), allowed_from(to), now, std::move(fields));
}

asio::awaitable<transition_result>
redis_case_store::update(const std::string& tenant,
                         std::int64_t number,
                         const std::string& who,
                         const std::string& what,
                         const std::string& why,
                         std::int64_t now,
                         std::vector<std::pair<std::string, std::string>> fields) {
    case_event e{now, who, what, why};
    // No status change ("") and any status allowed ("*"): fields and history only.
    co_return co_await run_transition(conn_, tenant, number, "", encode_event(e), "*", now,
                                      std::move(fields));
}

asio::awaitable<void>
redis_case_store::record(const std::string& tenant, std::int64_t number, const case_event& e) {
    redis::command cmd{"RPUSH", keys::case_history(tenant, number), encode_event(e)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
}

asio::awaitable<claim_result> redis_case_store::claim(const std::string& tenant,
                                                      std::int64_t number,
                                                      const std::string& agent,
                                                      std::int64_t now) {
    case_event e{now, agent, "claimed", ""};
    // The previous owner's index is declared, so the owner is read first (as in a transition).
    redis::command read{"HGET", keys::case_hash(tenant, number), "owner"};
    auto owner = co_await conn_.exec(std::move(read));
    throw_if_failed(owner);
    std::string current = owner->is_nil() ? std::string() : owner->str;
    std::optional<redis::value> r;
    for (int attempt = 0;; ++attempt) {
        std::vector<std::string> args{current, agent, std::to_string(now), encode_event(e),
                                      "done,rated,cancelled"};
        std::vector<std::string> k{
            keys::case_hash(tenant, number), keys::case_history(tenant, number),
            keys::cases_by_owner(tenant, current), keys::cases_by_owner(tenant, agent)};
        auto got = co_await conn_.eval(scripts::case_claim(), std::move(k), std::move(args));
        throw_if_failed(got);
        if (!got->is_array() || got->elements.size() != 2)
            throw_unavailable(errc::unexpected_reply);
        if (got->elements[0].integer != -9) {
            r = std::move(*got);
            break;
        }
        if (attempt == 10) throw_unavailable(errc::redis_timeout);
        current = got->elements[1].str; // the owner changed meanwhile
    }
    claim_result out;
    out.other = r->elements[1].str;
    switch (r->elements[0].integer) {
    case 1:
        out.outcome = claim_result::claimed;
        break;
    case 2:
        out.outcome = claim_result::already_yours;
        break;
    case 0:
        out.outcome = claim_result::taken;
        break;
    case -2:
        out.outcome = claim_result::closed;
        out.status = status_or(out.other, case_status::done);
        break;
    default:
        out.outcome = claim_result::not_found;
    }
    co_return out;
}

asio::awaitable<attach_result> redis_case_store::attach(const std::string& tenant,
                                                        std::int64_t number,
                                                        const std::string& material,
                                                        const std::string& file,
                                                        const std::string& who,
                                                        std::int64_t now,
                                                        const std::string& resume_due,
                                                        std::int64_t resume_due_days) {
    case_event e{now, who, "material:" + material, file};
    // A returned case resumes with this document, which moves it in its owner's and the open
    // index: those are declared, and only the script knows the case is returned — it answers -9
    // with the owner, untouched, and is tried again with them. Other cases need one try.
    std::optional<std::string> owner;
    std::optional<redis::value> r;
    for (int attempt = 0;; ++attempt) {
        std::vector<std::string> args{
            material,          file,       std::to_string(now),
            encode_event(e),   resume_due, std::to_string(resume_due_days),
            owner.value_or("")};
        std::vector<std::string> k{keys::case_hash(tenant, number),
                                   keys::case_history(tenant, number)};
        if (owner) {
            k.push_back(keys::cases_by_owner(tenant, *owner));
            k.push_back(keys::cases_open(tenant));
        }
        auto got = co_await conn_.eval(scripts::case_attach(), std::move(k), std::move(args));
        throw_if_failed(got);
        if (!got->is_array() || got->elements.empty()) throw_unavailable(errc::unexpected_reply);
        if (got->elements[0].integer != -9) {
            r = std::move(*got);
            break;
        }
        if (attempt == 10 || got->elements.size() != 2) throw_unavailable(errc::redis_timeout);
        owner = got->elements[1].str;
    }
    attach_result out;
    const auto code = r->elements[0].integer;
    if (code == -1)
        out.outcome = change_outcome::not_found;
    else if (code == -2)
        out.outcome = change_outcome::closed;
    else if (code == -3)
        out.outcome = change_outcome::unknown_material;
    else if (r->elements.size() == 5) {
        out.received = static_cast<int>(r->elements[1].integer);
        out.total = static_cast<int>(r->elements[2].integer);
        out.status = status_or(r->elements[3].str, case_status::collecting);
        out.previous = status_or(r->elements[4].str, case_status::collecting);
    } else {
        throw_unavailable(errc::unexpected_reply);
    }
    co_return out;
}

asio::awaitable<review_result> redis_case_store::review(const std::string& tenant,
                                                        std::int64_t number,
                                                        const std::string& material,
                                                        bool accepted,
                                                        const std::string& reason,
                                                        const std::string& who,
                                                        std::int64_t now,
                                                        std::int64_t today_days) {
    case_event e{now, who,
                 std::string(accepted ? "accepted:" : "rejected:") +
                     (material.empty() ? "all" : material),
                 reason};
    std::vector<std::string> args{material,
                                  accepted ? "accepted" : "rejected",
                                  reason,
                                  std::to_string(now),
                                  encode_event(e),
                                  std::to_string(today_days),
                                  allowed_from(case_status::returned),
                                  allowed_from(case_status::in_progress)};
    std::vector<std::string> k{keys::case_hash(tenant, number), keys::case_history(tenant, number)};
    auto r = co_await conn_.eval(scripts::case_review(), std::move(k), std::move(args));
    throw_if_failed(r);
    if (!r->is_array() || r->elements.empty()) throw_unavailable(errc::unexpected_reply);
    review_result out;
    switch (r->elements[0].integer) {
    case -1:
        out.outcome = change_outcome::not_found;
        break;
    case -2:
        out.outcome = change_outcome::closed;
        break;
    case -3:
        out.outcome = change_outcome::unknown_material;
        break;
    case -4:
        out.outcome = change_outcome::nothing_to_do;
        break;
    default:
        if (r->elements.size() != 4) throw_unavailable(errc::unexpected_reply);
        out.status = status_or(r->elements[1].str, case_status::in_progress);
        out.accepted = static_cast<int>(r->elements[2].integer);
        out.total = static_cast<int>(r->elements[3].integer);
    }
    co_return out;
}

asio::awaitable<std::vector<case_due>> redis_case_store::open_cases(const std::string& tenant,
                                                                    std::int64_t until) {
    redis::command cmd{"ZRANGEBYSCORE", keys::cases_open(tenant), "-inf",
                       until == INT64_MAX ? std::string("+inf") : std::to_string(until),
                       "WITHSCORES"};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    co_return decode_dues(*r);
}

asio::awaitable<std::vector<case_due>> redis_case_store::open_by_owner(const std::string& tenant,
                                                                       const std::string& agent) {
    redis::command cmd{"ZRANGE", keys::cases_by_owner(tenant, agent), "0", "-1", "WITHSCORES"};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    co_return decode_dues(*r);
}

asio::awaitable<std::vector<std::int64_t>>
redis_case_store::by_resident(const std::string& tenant, const std::string& resident) {
    redis::command cmd{"ZRANGE", keys::cases_by_resident(tenant, resident), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    std::vector<std::int64_t> out;
    for (const auto& e : r->elements)
        out.push_back(to_int(e.str));
    co_return out;
}

asio::awaitable<std::vector<std::int64_t>>
redis_case_store::by_village(const std::string& tenant, const std::string& village) {
    redis::command cmd{"ZRANGE", keys::cases_by_village(tenant, village), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    std::vector<std::int64_t> out;
    for (const auto& e : r->elements)
        out.push_back(to_int(e.str));
    co_return out;
}

} // namespace daiban::state
