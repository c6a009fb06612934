// state layer, in memory: faq_store without Redis, for handler unit tests. Entries are kept in
// their stored (JSON) form and read back through the same decoder as the Redis store.
#pragma once

#include "state/faq_store.hpp"

#include <map>
#include <string>

namespace daiban::state {

class memory_faq_store final : public faq_store {
public:
    boost::asio::awaitable<void> learn(const std::string& tenant, const learned_answer& a) override;
    boost::asio::awaitable<std::vector<learned_answer>> learned(const std::string& tenant) override;

private:
    std::map<std::string, std::map<std::int64_t, std::string>> entries_; // tenant -> n -> JSON
};

} // namespace daiban::state
