// state layer, in memory: memory_case_store (see case_store.hpp). Each do_* function is one Lua
// script or Redis command of state/case_store.cpp, in the script's order, so that even the odd
// corners (a second 补正 keeps the first pause day, a file for an accepted material makes it
// "received" again) come out the same.
#include "state/memory/case_store.hpp"

#include "state/keys.hpp"
#include "state/redis/value.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace daiban::state {

namespace asio = boost::asio;
using redis::to_int;

namespace {

using fields_map = std::map<std::string, std::string>;

// Lua's string.gmatch(list, '[^,]+'): the non-empty items of a comma-separated list.
std::vector<std::string> items(const std::string& list) {
    std::vector<std::string> out;
    std::size_t b = 0;
    while (b < list.size()) {
        auto e = list.find(',', b);
        if (e == std::string::npos) e = list.size();
        if (e > b) out.push_back(list.substr(b, e - b));
        b = e + 1;
    }
    return out;
}

bool in_list(const std::string& list, const std::string& x) {
    for (const auto& s : items(list))
        if (s == x) return true;
    return false;
}

// HGET: null when the field is absent (Lua's nil).
const std::string* hget(const fields_map& h, const std::string& field) {
    auto it = h.find(field);
    return it == h.end() ? nullptr : &it->second;
}

std::string hget_or(const fields_map& h, const std::string& field, std::string fallback = {}) {
    const auto* v = hget(h, field);
    return v ? *v : fallback;
}

bool is_closed(const std::string& status) {
    return status == "done" || status == "rated" || status == "cancelled";
}

case_status status_or(const std::string& s, case_status fallback) {
    return parse_case_status(s).value_or(fallback);
}

// The HGETALL reply the Redis store decodes, so both stores read a case with decode_case.
redis::value hgetall_reply(const fields_map& h) {
    redis::value v;
    v.type = redis::value::kind::array;
    for (const auto& [k, val] : h) {
        redis::value key, value;
        key.type = value.type = redis::value::kind::string;
        key.str = k;
        value.str = val;
        v.elements.push_back(std::move(key));
        v.elements.push_back(std::move(value));
    }
    return v;
}

void zrem(std::map<std::string, memory::sorted_set>& index,
          const std::string& key,
          const std::string& member) {
    if (auto it = index.find(key); it != index.end()) it->second.remove(member);
}

std::vector<case_due> dues_of(const std::vector<memory::sorted_set::entry>& entries) {
    std::vector<case_due> out;
    for (const auto& e : entries)
        out.push_back({to_int(e.member), e.score});
    return out;
}

std::vector<std::int64_t> numbers_of(const std::vector<memory::sorted_set::entry>& entries) {
    std::vector<std::int64_t> out;
    for (const auto& e : entries)
        out.push_back(to_int(e.member));
    return out;
}

} // namespace

// open_case.lua
open_case_result memory_case_store::do_open(const open_case_request& req) {
    auto& t = tenants_[req.tenant];
    const std::pair<std::string, std::string> src{req.source_chat, req.source_message};
    if (auto it = t.sources.find(src); it != t.sources.end() && req.now < it->second.expires_at)
        return {it->second.number, false};
    const std::int64_t n = ++t.seq;
    const std::string member = std::to_string(n);
    char digits[24];
    std::snprintf(digits, sizeof digits, "%04lld", static_cast<long long>(n));
    const std::string code = req.code_prefix + digits;
    std::string ids;
    for (const auto& [id, name] : req.materials)
        ids += (ids.empty() ? "" : ",") + id;

    auto& h = t.cases[n];
    h["number"] = member;
    h["code"] = code;
    h["opened_at"] = std::to_string(req.now);
    h["updated_at"] = std::to_string(req.now);
    // The same field, value pairs redis_case_store::open passes, in its order (later ones win).
    const std::vector<std::pair<std::string, std::string>> pairs{
        {"service", req.service},
        {"service_name", req.service_name},
        {"catalog_version", req.catalog_version},
        {"resident", req.resident},
        {"resident_name", req.resident_name},
        {"channel", req.channel},
        {"chat", req.chat},
        {"village", req.village},
        {"owner", req.owner},
        {"status", std::string(to_string(case_status::accepted))},
        {"due", req.due},
        {"due_days", std::to_string(req.due_days)},
        {"level", "village"},
        {"materials", ids},
        {"mandate", req.mandate}};
    for (const auto& [k, v] : pairs)
        h[k] = v;
    for (const auto& [id, name] : req.materials) {
        h["m:" + id + ":name"] = name;
        h["m:" + id + ":state"] = "missing";
    }
    t.history[n].push_back(encode_event({req.now, req.resident, "opened", req.service_name}));
    t.by_resident[req.resident].add(member, req.now);
    t.by_owner[req.owner].add(member, req.due_days);
    t.by_village[req.village].add(member, req.now);
    t.open.add(member, req.due_days);
    t.codes[code] = n;
    t.sources[src] = {n, req.now + keys::case_source_ttl_s};
    return {n, true};
}

std::optional<std::int64_t> memory_case_store::do_resolve(const std::string& tenant,
                                                          const std::string& ref) {
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) return std::nullopt;
    const auto& t = tit->second;
    std::string s = ref;
    if (!s.empty() && s.front() == '#') s.erase(0, 1);
    std::int64_t n = 0;
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() <= 9) {
        n = to_int(s);
    } else {
        auto it = t.codes.find(s);
        if (it == t.codes.end()) return std::nullopt;
        n = it->second;
    }
    if (!t.cases.contains(n)) return std::nullopt;
    return n;
}

std::vector<case_event> memory_case_store::do_history(const std::string& tenant,
                                                      std::int64_t number) {
    std::vector<case_event> out;
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) return out;
    auto it = tit->second.history.find(number);
    if (it == tit->second.history.end()) return out;
    for (const auto& e : it->second) {
        auto j = nlohmann::json::parse(e, nullptr, false);
        if (!j.is_object()) continue;
        out.push_back({j.value("at", std::int64_t{0}), j.value("who", ""), j.value("what", ""),
                       j.value("why", "")});
    }
    return out;
}

std::optional<memory_case_store::found_case> memory_case_store::find_case(const std::string& tenant,
                                                                          std::int64_t number) {
    auto tit = tenants_.find(tenant);
    if (tit == tenants_.end()) return std::nullopt;
    auto cit = tit->second.cases.find(number);
    if (cit == tit->second.cases.end()) return std::nullopt;
    const std::string* status = hget(cit->second, "status");
    if (!status) return std::nullopt;
    return found_case{tit->second, cit->second, *status};
}

// case_transition.lua: `to` empty and `allowed` "*" keep the status (update()).
transition_result
memory_case_store::do_transition(const std::string& tenant,
                                 std::int64_t number,
                                 const std::string& to_status,
                                 const case_event& event,
                                 const std::string& allowed,
                                 std::int64_t now,
                                 const std::vector<std::pair<std::string, std::string>>& fields) {
    auto found = find_case(tenant, number);
    if (!found) return {change_outcome::not_found, case_status::accepted};
    auto& t = found->cases;
    auto& h = found->fields;
    const std::string cur = found->status;
    if (allowed != "*" && !in_list(allowed, cur))
        return {change_outcome::not_allowed, status_or(cur, case_status::accepted)};
    const std::string n = hget_or(h, "number");
    const auto* old_owner_field = hget(h, "owner");
    const std::optional<std::string> old_owner =
        old_owner_field ? std::optional<std::string>(*old_owner_field) : std::nullopt;
    const std::string to = allowed == "*" ? cur : to_status;
    h["status"] = to;
    h["updated_at"] = std::to_string(now);
    for (const auto& [k, v] : fields)
        h[k] = v;
    t.history[number].push_back(encode_event(event));
    const std::string owner = hget_or(h, "owner");
    const std::int64_t due = to_int(hget_or(h, "due_days"));
    if (old_owner && *old_owner != owner) zrem(t.by_owner, *old_owner, n);
    if (is_closed(to)) {
        zrem(t.by_owner, owner, n);
        t.open.remove(n);
    } else {
        t.by_owner[owner].add(n, due);
        t.open.add(n, due);
    }
    return {change_outcome::done, status_or(cur, case_status::accepted)};
}

// case_claim.lua
claim_result memory_case_store::do_claim(const std::string& tenant,
                                         std::int64_t number,
                                         const std::string& agent,
                                         std::int64_t now) {
    claim_result out;
    auto found = find_case(tenant, number);
    if (!found) return out;
    auto& t = found->cases;
    auto& h = found->fields;
    const std::string& status = found->status;
    if (is_closed(status)) {
        out.outcome = claim_result::closed;
        out.other = status;
        out.status = status_or(status, case_status::done);
        return out;
    }
    if (const auto* claimed = hget(h, "claimed_by"); claimed && !claimed->empty()) {
        out.outcome = *claimed == agent ? claim_result::already_yours : claim_result::taken;
        out.other = *claimed;
        return out;
    }
    const std::string n = hget_or(h, "number");
    const auto* old_field = hget(h, "owner");
    const std::optional<std::string> old =
        old_field ? std::optional<std::string>(*old_field) : std::nullopt;
    const std::int64_t due = to_int(hget_or(h, "due_days"));
    h["claimed_by"] = agent;
    h["owner"] = agent;
    h["updated_at"] = std::to_string(now);
    if (old && *old != agent) zrem(t.by_owner, *old, n);
    t.by_owner[agent].add(n, due);
    t.history[number].push_back(encode_event({now, agent, "claimed", ""}));
    out.outcome = claim_result::claimed;
    out.other = old.value_or("");
    return out;
}

// case_attach.lua
attach_result memory_case_store::do_attach(const std::string& tenant,
                                           std::int64_t number,
                                           const std::string& material,
                                           const std::string& file,
                                           const std::string& who,
                                           std::int64_t now,
                                           const std::string& resume_due,
                                           std::int64_t resume_due_days) {
    attach_result out;
    auto found = find_case(tenant, number);
    if (!found) {
        out.outcome = change_outcome::not_found;
        return out;
    }
    auto& t = found->cases;
    auto& h = found->fields;
    const std::string st = found->status;
    if (is_closed(st)) {
        out.outcome = change_outcome::closed;
        return out;
    }
    const std::string mats = hget_or(h, "materials");
    if (!in_list(mats, material)) {
        out.outcome = change_outcome::unknown_material;
        return out;
    }
    const std::string files_field = "m:" + material + ":files";
    const std::string files = hget_or(h, files_field);
    if (!in_list(files, file)) h[files_field] = files.empty() ? file : files + "," + file;
    h["m:" + material + ":state"] = "received";
    h["updated_at"] = std::to_string(now);
    h.erase("m:" + material + ":reason");
    t.history[number].push_back(encode_event({now, who, "material:" + material, file}));
    int received = 0, total = 0;
    for (const auto& id : items(mats)) {
        ++total;
        const auto s = hget_or(h, "m:" + id + ":state");
        if (s == "received" || s == "accepted") ++received;
    }
    std::string to = st;
    if (st == "accepted" || st == "collecting" || st == "returned")
        to = received == total ? "ready" : "collecting";
    if (st == "returned" && to != st) {
        h["due"] = resume_due;
        h["due_days"] = std::to_string(resume_due_days);
        h["paused_on"] = "";
        const std::string n = hget_or(h, "number");
        t.by_owner[hget_or(h, "owner")].add(n, resume_due_days);
        t.open.add(n, resume_due_days);
    }
    if (to != st) {
        h["status"] = to;
        t.history[number].push_back(encode_event({now, "bot", "status:" + to, ""}));
    }
    out.received = received;
    out.total = total;
    out.status = status_or(to, case_status::collecting);
    out.previous = status_or(st, case_status::collecting);
    return out;
}

// case_review.lua
review_result memory_case_store::do_review(const std::string& tenant,
                                           std::int64_t number,
                                           const std::string& material,
                                           bool accepted,
                                           const std::string& reason,
                                           const std::string& who,
                                           std::int64_t now,
                                           std::int64_t today_days) {
    review_result out;
    auto found = find_case(tenant, number);
    if (!found) {
        out.outcome = change_outcome::not_found;
        return out;
    }
    auto& t = found->cases;
    auto& h = found->fields;
    const std::string st = found->status;
    if (is_closed(st)) {
        out.outcome = change_outcome::closed;
        return out;
    }
    const std::string mats = hget_or(h, "materials");
    if (!material.empty() && !in_list(mats, material)) {
        out.outcome = change_outcome::unknown_material;
        return out;
    }
    int changed = 0;
    for (const auto& id : items(mats)) {
        if (!material.empty() && material != id) continue;
        const std::string f = "m:" + id + ":state";
        const auto* s = hget(h, f);
        if (!accepted) {
            h[f] = "rejected";
            h["m:" + id + ":reason"] = reason;
            ++changed;
        } else if ((s && *s == "received") || (!material.empty() && (!s || *s != "accepted"))) {
            h[f] = "accepted";
            h.erase("m:" + id + ":reason");
            ++changed;
        }
    }
    if (changed == 0 && accepted) {
        out.outcome = change_outcome::nothing_to_do;
        return out;
    }
    h["updated_at"] = std::to_string(now);
    const std::string what =
        std::string(accepted ? "accepted:" : "rejected:") + (material.empty() ? "all" : material);
    t.history[number].push_back(encode_event({now, who, what, reason}));
    int accepted_count = 0, total = 0;
    for (const auto& id : items(mats)) {
        ++total;
        if (hget_or(h, "m:" + id + ":state") == "accepted") ++accepted_count;
    }
    std::string to = st;
    if (!accepted && in_list(allowed_from(case_status::returned), st)) {
        to = "returned";
        h["paused_on"] = std::to_string(today_days);
    } else if (accepted && accepted_count == total &&
               in_list(allowed_from(case_status::in_progress), st)) {
        to = "in_progress";
    }
    if (to != st) {
        h["status"] = to;
        t.history[number].push_back(encode_event({now, "bot", "status:" + to, reason}));
    }
    out.status = status_or(to, case_status::in_progress);
    out.accepted = accepted_count;
    out.total = total;
    return out;
}

asio::awaitable<open_case_result> memory_case_store::open(const open_case_request& req) {
    co_return do_open(req);
}

asio::awaitable<std::optional<case_record>> memory_case_store::get(const std::string& tenant,
                                                                   std::int64_t number) {
    std::optional<case_record> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        if (auto cit = tit->second.cases.find(number); cit != tit->second.cases.end())
            out = decode_case(hgetall_reply(cit->second));
    co_return out;
}

asio::awaitable<std::optional<std::int64_t>> memory_case_store::resolve(const std::string& tenant,
                                                                        const std::string& ref) {
    co_return do_resolve(tenant, ref);
}

asio::awaitable<std::vector<case_event>> memory_case_store::history(const std::string& tenant,
                                                                    std::int64_t number) {
    co_return do_history(tenant, number);
}

asio::awaitable<transition_result>
memory_case_store::transition(const std::string& tenant,
                              std::int64_t number,
                              case_status to,
                              const std::string& who,
                              const std::string& why,
                              std::int64_t now,
                              std::vector<std::pair<std::string, std::string>> fields) {
    const case_event e{now, who, "status:" + std::string(to_string(to)), why};
    co_return do_transition(tenant, number, std::string(to_string(to)), e, allowed_from(to), now,
                            fields);
}

asio::awaitable<transition_result>
memory_case_store::update(const std::string& tenant,
                          std::int64_t number,
                          const std::string& who,
                          const std::string& what,
                          const std::string& why,
                          std::int64_t now,
                          std::vector<std::pair<std::string, std::string>> fields) {
    const case_event e{now, who, what, why};
    co_return do_transition(tenant, number, "", e, "*", now, fields);
}

asio::awaitable<void>
memory_case_store::record(const std::string& tenant, std::int64_t number, const case_event& e) {
    tenants_[tenant].history[number].push_back(encode_event(e));
    co_return;
}

asio::awaitable<claim_result> memory_case_store::claim(const std::string& tenant,
                                                       std::int64_t number,
                                                       const std::string& agent,
                                                       std::int64_t now) {
    co_return do_claim(tenant, number, agent, now);
}

asio::awaitable<attach_result> memory_case_store::attach(const std::string& tenant,
                                                         std::int64_t number,
                                                         const std::string& material,
                                                         const std::string& file,
                                                         const std::string& who,
                                                         std::int64_t now,
                                                         const std::string& resume_due,
                                                         std::int64_t resume_due_days) {
    co_return do_attach(tenant, number, material, file, who, now, resume_due, resume_due_days);
}

asio::awaitable<review_result> memory_case_store::review(const std::string& tenant,
                                                         std::int64_t number,
                                                         const std::string& material,
                                                         bool accepted,
                                                         const std::string& reason,
                                                         const std::string& who,
                                                         std::int64_t now,
                                                         std::int64_t today_days) {
    co_return do_review(tenant, number, material, accepted, reason, who, now, today_days);
}

asio::awaitable<std::vector<case_due>> memory_case_store::open_cases(const std::string& tenant,
                                                                     std::int64_t due_until_days) {
    std::vector<case_due> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        out = dues_of(tit->second.open.up_to(due_until_days));
    co_return out;
}

asio::awaitable<std::vector<case_due>> memory_case_store::open_by_owner(const std::string& tenant,
                                                                        const std::string& agent) {
    std::vector<case_due> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        if (auto it = tit->second.by_owner.find(agent); it != tit->second.by_owner.end())
            out = dues_of(it->second.all());
    co_return out;
}

asio::awaitable<std::vector<std::int64_t>>
memory_case_store::by_resident(const std::string& tenant, const std::string& resident) {
    std::vector<std::int64_t> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        if (auto it = tit->second.by_resident.find(resident); it != tit->second.by_resident.end())
            out = numbers_of(it->second.all());
    co_return out;
}

asio::awaitable<std::vector<std::int64_t>>
memory_case_store::by_village(const std::string& tenant, const std::string& village) {
    std::vector<std::int64_t> out;
    if (auto tit = tenants_.find(tenant); tit != tenants_.end())
        if (auto it = tit->second.by_village.find(village); it != tit->second.by_village.end())
            out = numbers_of(it->second.all());
    co_return out;
}

} // namespace daiban::state
