// state layer, in memory: memory_resident_store (see resident_store.hpp).
#include "state/memory/resident_store.hpp"

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<resident_profile>> memory_resident_store::get(const std::string& tenant,
                                                                     const std::string& resident) {
    resident_profile p;
    auto it = profiles_.find({tenant, resident});
    if (it == profiles_.end()) co_return p;
    // The fields as redis_resident_store::get reads them (a malformed number reads as its
    // leading digits, or 0).
    for (const auto& [k, v] : it->second) {
        if (k == "village")
            p.village = v;
        else if (k == "name")
            p.name = v;
        else if (k == "channel")
            p.channel = v;
        else if (k == "chat")
            p.chat = v;
        else if (k == "awaiting_rating")
            std::from_chars(v.data(), v.data() + v.size(), p.awaiting_rating);
    }
    co_return p;
}

asio::awaitable<result<void>> memory_resident_store::set(const std::string& tenant,
                                                         const std::string& resident,
                                                         const std::string& field,
                                                         const std::string& value) {
    profiles_[{tenant, resident}][field] = value;
    co_return result<void>{};
}

asio::awaitable<result<void>> memory_resident_store::touch(const std::string& tenant,
                                                           const std::string& resident,
                                                           const resident_profile& p) {
    auto& h = profiles_[{tenant, resident}];
    h["channel"] = p.channel;
    h["chat"] = p.chat;
    h["name"] = p.name;
    co_return result<void>{};
}

} // namespace daiban::state
