// state layer: campaign_store on Redis (see campaign_store.hpp). Campaign hash fields: number,
// kind, title, amount_text, deadline, deadline_days, scope, scope_id, started_by, group,
// started_at, status (open | closed), closed_at. Roster and answers are hashes of JSON values
// keyed by member key; a member keeps its position ("i") so the roster reads back in order.
#include "state/campaign_store.hpp"

#include "state/errors.hpp"
#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace daiban::state {

namespace asio = boost::asio;
using redis::to_int;

namespace {

constexpr std::array<std::string_view, 2> kind_names = {"collect", "notice"};

template <class T>
const redis::value& checked(const boost::system::result<T>& r) {
    if (!r) throw_unavailable(r.error());
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    return *r;
}

std::string dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> pairs_of(const redis::value& v) {
    std::vector<std::pair<std::string, std::string>> out;
    out.reserve(v.elements.size() / 2);
    for (std::size_t i = 0; i + 1 < v.elements.size(); i += 2)
        out.emplace_back(v.elements[i].str, v.elements[i + 1].str);
    return out;
}

} // namespace

std::string_view to_string(campaign_kind k) {
    return kind_names[static_cast<std::size_t>(k)];
}
std::optional<campaign_kind> parse_campaign_kind(std::string_view s) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == s) return static_cast<campaign_kind>(i);
    return std::nullopt;
}

const campaign_member* campaign_record::member(std::string_view key) const {
    for (const auto& m : roster)
        if (m.key == key) return &m;
    return nullptr;
}

std::vector<std::pair<std::string, std::string>> campaign_fields(const open_campaign_request& req) {
    return {{"kind", std::string(to_string(req.kind))},
            {"title", req.title},
            {"amount_text", req.amount_text},
            {"deadline", req.deadline},
            {"deadline_days", std::to_string(req.deadline_days)},
            {"scope", req.scope},
            {"scope_id", req.scope_id},
            {"started_by", req.started_by},
            {"group", req.group}};
}

std::string encode_member(const campaign_member& m, std::size_t position) {
    return dump({{"i", position},
                 {"name", m.name},
                 {"village", m.village},
                 {"contact", m.contact},
                 {"channel", m.channel},
                 {"chat", m.chat},
                 {"phone", m.phone}});
}

std::string encode_answer(const campaign_answer& a) {
    return dump({{"at", a.at}, {"by", a.by}, {"amount", a.amount}, {"photo", a.photo}});
}

campaign_record decode_campaign(const std::vector<std::pair<std::string, std::string>>& fields,
                                const std::vector<std::pair<std::string, std::string>>& roster,
                                const std::vector<std::pair<std::string, std::string>>& answers) {
    std::map<std::string, std::string, std::less<>> f(fields.begin(), fields.end());
    auto get = [&](std::string_view k) -> std::string {
        auto it = f.find(k);
        return it == f.end() ? std::string() : it->second;
    };
    campaign_record c;
    c.number = to_int(get("number"));
    c.kind = parse_campaign_kind(get("kind")).value_or(campaign_kind::collect);
    c.title = get("title");
    c.amount_text = get("amount_text");
    c.deadline = get("deadline");
    c.deadline_days = to_int(get("deadline_days"));
    c.scope = get("scope");
    c.scope_id = get("scope_id");
    c.started_by = get("started_by");
    c.group = get("group");
    c.started_at = to_int(get("started_at"));
    c.open = get("status") != "closed";
    c.closed_at = to_int(get("closed_at"));
    std::vector<std::pair<std::int64_t, campaign_member>> members;
    for (const auto& [key, text] : roster) {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (!j.is_object()) continue;
        campaign_member m;
        m.key = key;
        m.name = j.value("name", "");
        m.village = j.value("village", "");
        m.contact = j.value("contact", "");
        m.channel = j.value("channel", "");
        m.chat = j.value("chat", "");
        m.phone = j.value("phone", "");
        members.emplace_back(j.value("i", std::int64_t{0}), std::move(m));
    }
    std::sort(members.begin(), members.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [_, m] : members)
        c.roster.push_back(std::move(m));
    for (const auto& [key, text] : answers) {
        auto j = nlohmann::json::parse(text, nullptr, false);
        if (!j.is_object()) continue;
        c.answers[key] = campaign_answer{j.value("at", std::int64_t{0}), j.value("by", ""),
                                         j.value("amount", ""), j.value("photo", "")};
    }
    return c;
}

asio::awaitable<open_campaign_result> redis_campaign_store::open(const open_campaign_request& req) {
    const auto source = keys::campaign_source(req.tenant, req.source_chat, req.source_message);
    // A retried message finds its campaign without taking a number.
    redis::command seen{"GET", source};
    auto s = co_await conn_.exec(std::move(seen));
    const auto& sv = checked(s);
    if (!sv.is_nil()) co_return open_campaign_result{to_int(sv.str), false};
    redis::command incr{"INCR", keys::campaign_seq(req.tenant)};
    auto i = co_await conn_.exec(std::move(incr));
    const std::int64_t n = checked(i).integer;

    const auto fields = campaign_fields(req);
    std::vector<std::string> args{std::to_string(n), std::to_string(req.now),
                                  std::to_string(keys::case_source_ttl_s),
                                  std::to_string(fields.size())};
    for (const auto& [k, v] : fields) {
        args.push_back(k);
        args.push_back(v);
    }
    for (std::size_t p = 0; p < req.roster.size(); ++p) {
        args.push_back(req.roster[p].key);
        args.push_back(encode_member(req.roster[p], p));
    }
    std::vector<std::string> k{source, keys::campaign_hash(req.tenant, n),
                               keys::campaign_roster(req.tenant, n),
                               keys::campaigns_open(req.tenant)};
    auto r = co_await conn_.eval(scripts::campaign_open(), std::move(k), std::move(args));
    const auto& v = checked(r);
    if (!v.is_array() || v.elements.size() != 2) throw_unavailable(errc::unexpected_reply);
    co_return open_campaign_result{v.elements[1].integer, v.elements[0].integer == 1};
}

asio::awaitable<std::optional<campaign_record>> redis_campaign_store::get(const std::string& tenant,
                                                                          std::int64_t number) {
    redis::command head{"HGETALL", keys::campaign_hash(tenant, number)};
    redis::command roster{"HGETALL", keys::campaign_roster(tenant, number)};
    redis::command answers{"HGETALL", keys::campaign_done(tenant, number)};
    auto h = co_await conn_.exec(std::move(head));
    auto r = co_await conn_.exec(std::move(roster));
    auto a = co_await conn_.exec(std::move(answers));
    const auto& hv = checked(h);
    if (!hv.is_array()) throw_unavailable(errc::unexpected_reply);
    if (hv.elements.empty()) co_return std::nullopt;
    co_return decode_campaign(pairs_of(hv), pairs_of(checked(r)), pairs_of(checked(a)));
}

asio::awaitable<answer_outcome> redis_campaign_store::answer(const std::string& tenant,
                                                             std::int64_t number,
                                                             const std::string& member,
                                                             const campaign_answer& a) {
    std::vector<std::string> k{keys::campaign_hash(tenant, number),
                               keys::campaign_roster(tenant, number),
                               keys::campaign_done(tenant, number)};
    std::vector<std::string> args{member, encode_answer(a)};
    auto r = co_await conn_.eval(scripts::campaign_answer(), std::move(k), std::move(args));
    const auto code = checked(r).integer;
    co_return code == 1 ? answer_outcome::recorded
    : code == 2         ? answer_outcome::already
                        : answer_outcome::not_found;
}

asio::awaitable<bool>
redis_campaign_store::close(const std::string& tenant, std::int64_t number, std::int64_t now) {
    std::vector<std::string> k{keys::campaign_hash(tenant, number), keys::campaigns_open(tenant)};
    std::vector<std::string> args{std::to_string(number), std::to_string(now)};
    auto r = co_await conn_.eval(scripts::campaign_close(), std::move(k), std::move(args));
    co_return checked(r).integer == 1;
}

asio::awaitable<std::vector<std::int64_t>>
redis_campaign_store::open_campaigns(const std::string& tenant) {
    redis::command cmd{"ZRANGE", keys::campaigns_open(tenant), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    std::vector<std::int64_t> out;
    for (const auto& e : checked(r).elements)
        out.push_back(to_int(e.str));
    co_return out;
}

asio::awaitable<std::int64_t> redis_campaign_store::last_number(const std::string& tenant) {
    redis::command cmd{"GET", keys::campaign_seq(tenant)};
    auto r = co_await conn_.exec(std::move(cmd));
    const auto& v = checked(r);
    co_return v.is_nil() ? 0 : to_int(v.str);
}

} // namespace daiban::state
