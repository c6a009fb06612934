// state layer, in memory: memory_campaign_store (see campaign_store.hpp and the Lua scripts it
// follows).
#include "state/memory/campaign_store.hpp"

#include "state/redis/value.hpp"

namespace daiban::state {

namespace asio = boost::asio;

namespace {

std::vector<std::pair<std::string, std::string>>
pairs(const std::map<std::string, std::string>& m) {
    return {m.begin(), m.end()};
}

} // namespace

asio::awaitable<open_campaign_result>
memory_campaign_store::open(const open_campaign_request& req) {
    auto& t = tenants_[req.tenant];
    const std::pair source{req.source_chat, req.source_message};
    if (auto it = t.sources.find(source); it != t.sources.end())
        co_return open_campaign_result{it->second, false};
    const auto n = ++t.seq;
    auto& c = t.campaigns[n];
    c.fields["number"] = std::to_string(n);
    c.fields["started_at"] = std::to_string(req.now);
    c.fields["status"] = "open";
    for (auto& [k, v] : campaign_fields(req))
        c.fields[k] = std::move(v);
    for (std::size_t p = 0; p < req.roster.size(); ++p)
        c.roster[req.roster[p].key] = encode_member(req.roster[p], p);
    t.open.add(std::to_string(n), req.now);
    t.sources[source] = n;
    co_return open_campaign_result{n, true};
}

asio::awaitable<std::optional<campaign_record>>
memory_campaign_store::get(const std::string& tenant, std::int64_t number) {
    auto& t = tenants_[tenant];
    auto it = t.campaigns.find(number);
    if (it == t.campaigns.end()) co_return std::nullopt;
    co_return decode_campaign(pairs(it->second.fields), pairs(it->second.roster),
                              pairs(it->second.answers));
}

asio::awaitable<answer_outcome> memory_campaign_store::answer(const std::string& tenant,
                                                              std::int64_t number,
                                                              const std::string& member,
                                                              const campaign_answer& a) {
    auto& t = tenants_[tenant];
    auto it = t.campaigns.find(number);
    if (it == t.campaigns.end() || !it->second.roster.contains(member))
        co_return answer_outcome::not_found;
    const bool fresh = it->second.answers.emplace(member, encode_answer(a)).second;
    co_return fresh ? answer_outcome::recorded : answer_outcome::already;
}

asio::awaitable<bool>
memory_campaign_store::close(const std::string& tenant, std::int64_t number, std::int64_t now) {
    auto& t = tenants_[tenant];
    auto it = t.campaigns.find(number);
    if (it == t.campaigns.end() || it->second.fields["status"] != "open") co_return false;
    it->second.fields["status"] = "closed";
    it->second.fields["closed_at"] = std::to_string(now);
    t.open.remove(std::to_string(number));
    co_return true;
}

asio::awaitable<std::vector<std::int64_t>>
memory_campaign_store::open_campaigns(const std::string& tenant) {
    std::vector<std::int64_t> out;
    for (const auto& e : tenants_[tenant].open.all())
        out.push_back(redis::to_int(e.member));
    co_return out;
}

asio::awaitable<std::int64_t> memory_campaign_store::last_number(const std::string& tenant) {
    co_return tenants_[tenant].seq;
}

} // namespace daiban::state
