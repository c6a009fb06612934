// state layer, in memory: memory_resident_store (see resident_store.hpp).
#include "state/memory/resident_store.hpp"

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;

asio::awaitable<resident_profile> memory_resident_store::get(const std::string& tenant,
                                                             const std::string& resident) {
    resident_profile p;
    auto it = profiles_.find({tenant, resident});
    if (it == profiles_.end()) co_return p;
    for (const auto& [k, v] : it->second)
        read_profile_field(p, k, v);
    co_return p;
}

asio::awaitable<void> memory_resident_store::set(const std::string& tenant,
                                                 const std::string& resident,
                                                 const std::string& field,
                                                 const std::string& value) {
    profiles_[{tenant, resident}][field] = value;
    co_return;
}

asio::awaitable<void> memory_resident_store::touch(const std::string& tenant,
                                                   const std::string& resident,
                                                   const resident_profile& p) {
    auto& h = profiles_[{tenant, resident}];
    h["channel"] = p.channel;
    h["chat"] = p.chat;
    h["name"] = p.name;
    co_return;
}

asio::awaitable<std::vector<std::string>>
memory_resident_store::in_village(const std::string& tenant, const std::string& village) {
    std::vector<std::string> out;
    for (const auto& [who, fields] : profiles_) {
        if (who.first != tenant) continue;
        auto it = fields.find("village");
        if (it != fields.end() && it->second == village) out.push_back(who.second);
    }
    co_return out;
}

} // namespace daiban::state
