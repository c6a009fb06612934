// state layer: ticket_store on Redis (see ticket_store.hpp). Ticket hash fields: number, kind,
// status, text, resident, resident_name, channel, chat, village, township, owner, anonymous
// ("1"), about, reported_at, updated_at, acknowledged_at, acknowledged_by, on_site_at,
// answered_at, closed_at, answer, due, due_days, location, files (comma-separated sha256 ids),
// rating, reopened ("1"), case_number.
#include "state/ticket_store.hpp"

#include "state/errors.hpp"
#include "state/keys.hpp"
#include "state/lua_scripts.hpp"
#include "state/numbering.hpp"

#include <array>
#include <map>

namespace daiban::state {

namespace asio = boost::asio;
using redis::to_int;

namespace {

constexpr std::array<std::string_view, 4> kind_names = {"emergency", "complaint", "suggestion",
                                                        "consultation"};
constexpr std::array<std::string_view, 6> status_names = {"open",     "acknowledged", "on_site",
                                                          "answered", "closed",       "withdrawn"};

template <class T>
const redis::value& checked(const boost::system::result<T>& r) {
    if (!r) throw_unavailable(r.error());
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
    return *r;
}

std::vector<std::int64_t> numbers(const redis::value& v) {
    std::vector<std::int64_t> out;
    out.reserve(v.elements.size());
    for (const auto& e : v.elements)
        out.push_back(to_int(e.str));
    return out;
}

std::string csv(const std::vector<ticket_status>& from) {
    if (from.empty()) return "*";
    std::string out;
    for (auto s : from)
        out.append(out.empty() ? "" : ",").append(to_string(s));
    return out;
}

} // namespace

std::string_view to_string(ticket_kind k) {
    return kind_names[static_cast<std::size_t>(k)];
}
std::optional<ticket_kind> parse_ticket_kind(std::string_view s) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == s) return static_cast<ticket_kind>(i);
    return std::nullopt;
}
std::string_view to_string(ticket_status s) {
    return status_names[static_cast<std::size_t>(s)];
}
std::optional<ticket_status> parse_ticket_status(std::string_view s) {
    for (std::size_t i = 0; i < status_names.size(); ++i)
        if (status_names[i] == s) return static_cast<ticket_status>(i);
    return std::nullopt;
}
bool is_open(ticket_status s) {
    return s == ticket_status::open || s == ticket_status::acknowledged ||
           s == ticket_status::on_site;
}

std::string_view open_index_action(std::optional<ticket_status> to) {
    if (!to) return "";
    return is_open(*to) ? "open" : "close";
}

std::vector<std::pair<std::string, std::string>> ticket_fields(const open_ticket_request& req) {
    std::vector<std::pair<std::string, std::string>> f{
        {"kind", std::string(to_string(req.kind))},
        {"status", std::string(to_string(ticket_status::open))},
        {"text", req.text},
        {"resident", req.resident},
        {"resident_name", req.anonymous ? std::string() : req.resident_name},
        {"channel", req.channel},
        {"chat", req.chat},
        {"village", req.village},
        {"township", req.township},
        {"owner", req.owner},
        {"anonymous", req.anonymous ? "1" : "0"},
        {"about", req.about},
        {"due", req.due},
        {"due_days", std::to_string(req.due_days)}};
    return f;
}

ticket_record decode_ticket(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::map<std::string, std::string, std::less<>> f(fields.begin(), fields.end());
    auto get = [&](std::string_view k) -> std::string {
        auto it = f.find(k);
        return it == f.end() ? std::string() : it->second;
    };
    ticket_record t;
    t.number = to_int(get("number"));
    t.kind = parse_ticket_kind(get("kind")).value_or(ticket_kind::emergency);
    t.status = parse_ticket_status(get("status")).value_or(ticket_status::open);
    t.text = get("text");
    t.resident = get("resident");
    t.resident_name = get("resident_name");
    t.channel = get("channel");
    t.chat = get("chat");
    t.village = get("village");
    t.township = get("township");
    t.owner = get("owner");
    t.anonymous = get("anonymous") == "1";
    t.about = get("about");
    t.reported_at = to_int(get("reported_at"));
    t.updated_at = to_int(get("updated_at"));
    t.acknowledged_at = to_int(get("acknowledged_at"));
    t.acknowledged_by = get("acknowledged_by");
    t.on_site_at = to_int(get("on_site_at"));
    t.answered_at = to_int(get("answered_at"));
    t.closed_at = to_int(get("closed_at"));
    t.answer = get("answer");
    t.due = get("due");
    t.due_days = to_int(get("due_days"));
    t.location = get("location");
    const auto files = get("files");
    for (std::size_t b = 0; b < files.size();) {
        auto e = files.find(',', b);
        if (e == std::string::npos) e = files.size();
        if (e > b) t.files.push_back(files.substr(b, e - b));
        b = e + 1;
    }
    t.rating = static_cast<int>(to_int(get("rating")));
    t.reopened = get("reopened") == "1";
    t.case_number = to_int(get("case_number"));
    return t;
}

asio::awaitable<open_ticket_result> redis_ticket_store::open(const open_ticket_request& req) {
    const ticket_event first{req.now, req.resident, "opened", ""};
    const auto fields = ticket_fields(req);
    const auto source = keys::ticket_source(req.tenant, req.source_chat, req.source_message);
    const auto seq = keys::ticket_seq(req.tenant);
    // The number first (state/numbering.hpp), as a case opens.
    for (int attempt = 0; attempt < 50; ++attempt) {
        const auto read = co_await read_next_number(conn_, source, seq);
        if (read.opened) co_return open_ticket_result{*read.opened, false};
        const std::int64_t n = read.next;
        std::vector<std::string> k{seq,
                                   source,
                                   keys::feed(req.tenant),
                                   keys::ticket_hash(req.tenant, n),
                                   keys::ticket_history(req.tenant, n),
                                   keys::tickets_by_resident(req.tenant, req.resident),
                                   keys::tickets_open(req.tenant)};
        std::vector<std::string> args{std::to_string(n), std::to_string(req.now),
                                      encode_event(first), std::to_string(keys::case_source_ttl_s)};
        for (const auto& [f, v] : fields) {
            args.push_back(f);
            args.push_back(v);
        }
        auto r = co_await conn_.eval(scripts::ticket_open(), std::move(k), std::move(args));
        const auto& v = checked(r);
        if (!v.is_array() || v.elements.size() != 2) throw_unavailable(errc::unexpected_reply);
        if (v.elements[0].integer == -1) continue; // another ticket took the number: read again
        co_return open_ticket_result{v.elements[1].integer, v.elements[0].integer == 1};
    }
    throw_unavailable(errc::redis_timeout);
}

asio::awaitable<std::optional<ticket_record>> redis_ticket_store::get(const std::string& tenant,
                                                                      std::int64_t number) {
    redis::command cmd{"HGETALL", keys::ticket_hash(tenant, number)};
    auto r = co_await conn_.exec(std::move(cmd));
    const auto& v = checked(r);
    if (!v.is_array()) throw_unavailable(errc::unexpected_reply);
    if (v.elements.empty()) co_return std::nullopt;
    std::vector<std::pair<std::string, std::string>> fields;
    fields.reserve(v.elements.size() / 2);
    for (std::size_t i = 0; i + 1 < v.elements.size(); i += 2)
        fields.emplace_back(v.elements[i].str, v.elements[i + 1].str);
    co_return decode_ticket(fields);
}

asio::awaitable<ticket_change_result>
redis_ticket_store::change(const std::string& tenant, std::int64_t number, const ticket_change& c) {
    std::vector<std::string> args{csv(c.from),
                                  c.to ? std::string(to_string(*c.to)) : std::string(),
                                  std::to_string(c.event.at),
                                  encode_event(c.event),
                                  std::string(open_index_action(c.to)),
                                  c.file};
    for (const auto& [k, v] : c.fields) {
        args.push_back(k);
        args.push_back(v);
    }
    std::vector<std::string> k{keys::ticket_hash(tenant, number),
                               keys::ticket_history(tenant, number), keys::tickets_open(tenant)};
    auto r = co_await conn_.eval(scripts::ticket_change(), std::move(k), std::move(args));
    const auto& v = checked(r);
    if (!v.is_array() || v.elements.size() != 2) throw_unavailable(errc::unexpected_reply);
    ticket_change_result out;
    const auto code = v.elements[0].integer;
    out.outcome = code == 1   ? ticket_change_result::done
                  : code == 0 ? ticket_change_result::not_found
                              : ticket_change_result::not_allowed;
    out.previous = parse_ticket_status(v.elements[1].str).value_or(ticket_status::open);
    co_return out;
}

asio::awaitable<std::vector<ticket_event>> redis_ticket_store::history(const std::string& tenant,
                                                                       std::int64_t number) {
    redis::command cmd{"LRANGE", keys::ticket_history(tenant, number), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    const auto& v = checked(r);
    std::vector<ticket_event> out;
    for (const auto& e : v.elements)
        if (auto ev = decode_event(e.str)) out.push_back(std::move(*ev));
    co_return out;
}

asio::awaitable<std::vector<std::int64_t>>
redis_ticket_store::open_tickets(const std::string& tenant) {
    redis::command cmd{"ZRANGE", keys::tickets_open(tenant), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    co_return numbers(checked(r));
}

asio::awaitable<std::vector<std::int64_t>>
redis_ticket_store::by_resident(const std::string& tenant, const std::string& resident) {
    redis::command cmd{"ZRANGE", keys::tickets_by_resident(tenant, resident), "0", "-1"};
    auto r = co_await conn_.exec(std::move(cmd));
    co_return numbers(checked(r));
}

asio::awaitable<std::int64_t> redis_ticket_store::last_number(const std::string& tenant) {
    redis::command cmd{"GET", keys::ticket_seq(tenant)};
    auto r = co_await conn_.exec(std::move(cmd));
    const auto& v = checked(r);
    co_return v.is_nil() ? 0 : to_int(v.str);
}

} // namespace daiban::state
