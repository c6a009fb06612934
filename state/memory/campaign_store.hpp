// state layer, in memory: campaign_store without Redis, for handler unit tests. It follows the
// Lua scripts (state/lua/campaign_open.lua, campaign_answer.lua, campaign_close.lua) step by step
// and stores the same encodings (campaign_fields, encode_member, encode_answer,
// decode_campaign), so a campaign reads back as it would from Redis. Single-threaded: every call
// completes before its coroutine first returns.
#pragma once

#include "state/campaign_store.hpp"
#include "state/memory/sorted_set.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace daiban::state {

class memory_campaign_store final : public campaign_store {
public:
    boost::asio::awaitable<open_campaign_result> open(const open_campaign_request& req) override;
    boost::asio::awaitable<std::optional<campaign_record>> get(const std::string& tenant,
                                                               std::int64_t number) override;
    boost::asio::awaitable<answer_outcome> answer(const std::string& tenant,
                                                  std::int64_t number,
                                                  const std::string& member,
                                                  const campaign_answer& a) override;
    boost::asio::awaitable<bool>
    close(const std::string& tenant, std::int64_t number, std::int64_t now) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    open_campaigns(const std::string& tenant) override;
    boost::asio::awaitable<std::int64_t> last_number(const std::string& tenant) override;

private:
    using fields_map = std::map<std::string, std::string>;
    struct stored {
        fields_map fields;
        fields_map roster;
        fields_map answers;
    };
    struct tenant_campaigns {
        std::int64_t seq = 0;
        std::map<std::int64_t, stored> campaigns;
        std::map<std::pair<std::string, std::string>, std::int64_t> sources; // (chat, message)
        memory::sorted_set open;
    };
    std::map<std::string, tenant_campaigns> tenants_;
};

} // namespace daiban::state
