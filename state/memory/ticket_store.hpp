// state layer, in memory: ticket_store without Redis, for handler unit tests. It follows the two
// Lua scripts (state/lua/ticket_open.lua, ticket_change.lua) step by step and stores the same
// fields (ticket_fields / decode_ticket), so a ticket reads back as it would from Redis.
// Single-threaded: every call completes before its coroutine first returns.
#pragma once

#include "state/memory/sorted_set.hpp"
#include "state/ticket_store.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace daiban::state {

class memory_ticket_store final : public ticket_store {
public:
    boost::asio::awaitable<open_ticket_result> open(const open_ticket_request& req) override;
    boost::asio::awaitable<std::optional<ticket_record>> get(const std::string& tenant,
                                                             std::int64_t number) override;
    boost::asio::awaitable<ticket_change_result>
    change(const std::string& tenant, std::int64_t number, const ticket_change& c) override;
    boost::asio::awaitable<std::vector<ticket_event>> history(const std::string& tenant,
                                                              std::int64_t number) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    open_tickets(const std::string& tenant) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    by_resident(const std::string& tenant, const std::string& resident) override;
    boost::asio::awaitable<std::int64_t> last_number(const std::string& tenant) override;

private:
    using fields_map = std::map<std::string, std::string>;
    struct tenant_tickets {
        std::int64_t seq = 0;
        std::map<std::int64_t, fields_map> tickets;
        std::map<std::int64_t, std::vector<ticket_event>> history;
        std::map<std::pair<std::string, std::string>, std::int64_t> sources; // (chat, message)
        memory::sorted_set open;
        std::map<std::string, memory::sorted_set> by_resident;
    };
    std::map<std::string, tenant_tickets> tenants_;
};

} // namespace daiban::state
