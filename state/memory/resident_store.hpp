// state layer, in memory: resident_store without Redis, for handler unit tests. A profile is the
// field map the Redis hash holds (any field may be set), read back the way the Redis store reads
// it. Single-threaded: every call completes before its coroutine first returns.
#pragma once

#include "state/resident_store.hpp"

#include <map>
#include <string>
#include <utility>

namespace daiban::state {

class memory_resident_store final : public resident_store {
public:
    boost::asio::awaitable<resident_profile> get(const std::string& tenant,
                                                 const std::string& resident) override;
    boost::asio::awaitable<void> set(const std::string& tenant,
                                     const std::string& resident,
                                     const std::string& field,
                                     const std::string& value) override;
    boost::asio::awaitable<void> touch(const std::string& tenant,
                                       const std::string& resident,
                                       const resident_profile& p) override;
    boost::asio::awaitable<std::vector<std::string>>
    in_village(const std::string& tenant, const std::string& village) override;

private:
    // (tenant, resident) -> field -> value
    std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> profiles_;
};

} // namespace daiban::state
