// state layer, in memory: memory_ticket_store (see ticket_store.hpp and the Lua scripts it
// follows).
#include "state/memory/ticket_store.hpp"

#include "state/redis/value.hpp"

namespace daiban::state {

namespace asio = boost::asio;

namespace {

std::vector<std::int64_t> numbers(const memory::sorted_set& s) {
    std::vector<std::int64_t> out;
    for (const auto& e : s.all())
        out.push_back(redis::to_int(e.member));
    return out;
}

} // namespace

asio::awaitable<open_ticket_result> memory_ticket_store::open(const open_ticket_request& req) {
    auto& t = tenants_[req.tenant];
    const std::pair source{req.source_chat, req.source_message};
    if (auto it = t.sources.find(source); it != t.sources.end())
        co_return open_ticket_result{it->second, false};
    const auto n = ++t.seq;
    auto& f = t.tickets[n];
    f["number"] = std::to_string(n);
    f["reported_at"] = f["updated_at"] = std::to_string(req.now);
    for (auto& [k, v] : ticket_fields(req))
        f[k] = std::move(v);
    t.history[n].push_back({req.now, req.resident, "opened", ""});
    t.by_resident[req.resident].add(std::to_string(n), req.now);
    t.open.add(std::to_string(n), req.now);
    t.sources[source] = n;
    co_return open_ticket_result{n, true};
}

asio::awaitable<std::optional<ticket_record>> memory_ticket_store::get(const std::string& tenant,
                                                                       std::int64_t number) {
    auto& t = tenants_[tenant];
    auto it = t.tickets.find(number);
    if (it == t.tickets.end()) co_return std::nullopt;
    const std::vector<std::pair<std::string, std::string>> fields(it->second.begin(),
                                                                  it->second.end());
    co_return decode_ticket(fields);
}

asio::awaitable<ticket_change_result> memory_ticket_store::change(const std::string& tenant,
                                                                  std::int64_t number,
                                                                  const ticket_change& c) {
    auto& t = tenants_[tenant];
    auto it = t.tickets.find(number);
    if (it == t.tickets.end()) co_return ticket_change_result{};
    auto& f = it->second;
    const auto cur = parse_ticket_status(f["status"]).value_or(ticket_status::open);
    bool allowed = c.from.empty();
    for (auto s : c.from)
        allowed = allowed || s == cur;
    if (!allowed) co_return ticket_change_result{ticket_change_result::not_allowed, cur};
    if (c.to) f["status"] = std::string(to_string(*c.to));
    f["updated_at"] = std::to_string(c.event.at);
    for (const auto& [k, v] : c.fields)
        f[k] = v;
    if (!c.file.empty()) {
        auto& files = f["files"];
        if (files.empty())
            files = c.file;
        else if (("," + files + ",").find("," + c.file + ",") == std::string::npos)
            files += "," + c.file;
    }
    t.history[number].push_back(c.event);
    const auto action = open_index_action(c.to);
    if (action == "close")
        t.open.remove(std::to_string(number));
    else if (action == "open")
        t.open.add(std::to_string(number), redis::to_int(f["reported_at"]));
    co_return ticket_change_result{ticket_change_result::done, cur};
}

asio::awaitable<std::vector<ticket_event>> memory_ticket_store::history(const std::string& tenant,
                                                                        std::int64_t number) {
    auto& t = tenants_[tenant];
    auto it = t.history.find(number);
    co_return it == t.history.end() ? std::vector<ticket_event>{} : it->second;
}

asio::awaitable<std::vector<std::int64_t>>
memory_ticket_store::open_tickets(const std::string& tenant) {
    co_return numbers(tenants_[tenant].open);
}

asio::awaitable<std::vector<std::int64_t>>
memory_ticket_store::by_resident(const std::string& tenant, const std::string& resident) {
    co_return numbers(tenants_[tenant].by_resident[resident]);
}

asio::awaitable<std::int64_t> memory_ticket_store::last_number(const std::string& tenant) {
    co_return tenants_[tenant].seq;
}

} // namespace daiban::state
