// state layer, in memory: case_store without Redis, for handler unit tests. Each case is kept as
// the same field map the Lua scripts write (state/case_store.cpp lists the fields) and read back
// through decode_case, and each change follows its script step by step (state/lua/open_case,
// case_claim, case_transition, case_attach, case_review), so callers see what the Redis store
// would show them: numbers, outcomes, counts, history entries and index order.
// Single-threaded: every call completes before its coroutine first returns, so two coroutines
// never see half a change (as a script's atomicity guarantees on Redis).
#pragma once

#include "state/case_store.hpp"
#include "state/memory/sorted_set.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace daiban::state {

class memory_case_store final : public case_store {
public:
    boost::asio::awaitable<open_case_result> open(const open_case_request& req) override;
    boost::asio::awaitable<std::optional<case_record>> get(const std::string& tenant,
                                                           std::int64_t number) override;
    boost::asio::awaitable<std::optional<std::int64_t>> resolve(const std::string& tenant,
                                                                const std::string& ref) override;
    boost::asio::awaitable<std::vector<case_event>> history(const std::string& tenant,
                                                            std::int64_t number) override;
    boost::asio::awaitable<transition_result>
    transition(const std::string& tenant,
               std::int64_t number,
               case_status to,
               const std::string& who,
               const std::string& why,
               std::int64_t now,
               std::vector<std::pair<std::string, std::string>> fields = {}) override;
    boost::asio::awaitable<transition_result>
    update(const std::string& tenant,
           std::int64_t number,
           const std::string& who,
           const std::string& what,
           const std::string& why,
           std::int64_t now,
           std::vector<std::pair<std::string, std::string>> fields) override;
    boost::asio::awaitable<void>
    record(const std::string& tenant, std::int64_t number, const case_event& e) override;
    boost::asio::awaitable<claim_result> claim(const std::string& tenant,
                                               std::int64_t number,
                                               const std::string& agent,
                                               std::int64_t now) override;
    boost::asio::awaitable<attach_result> attach(const std::string& tenant,
                                                 std::int64_t number,
                                                 const std::string& material,
                                                 const std::string& file,
                                                 const std::string& who,
                                                 std::int64_t now,
                                                 const std::string& resume_due,
                                                 std::int64_t resume_due_days) override;
    boost::asio::awaitable<review_result> review(const std::string& tenant,
                                                 std::int64_t number,
                                                 const std::string& material,
                                                 bool accepted,
                                                 const std::string& reason,
                                                 const std::string& who,
                                                 std::int64_t now,
                                                 std::int64_t today_days) override;
    boost::asio::awaitable<std::vector<case_due>>
    open_cases(const std::string& tenant, std::int64_t due_until_days = INT64_MAX) override;
    boost::asio::awaitable<std::vector<case_due>> open_by_owner(const std::string& tenant,
                                                                const std::string& agent) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    by_resident(const std::string& tenant, const std::string& resident) override;
    boost::asio::awaitable<std::vector<std::int64_t>>
    by_village(const std::string& tenant, const std::string& village) override;

private:
    using fields_map = std::map<std::string, std::string>;
    struct source {
        std::int64_t number = 0;
        std::int64_t expires_at = 0; // the source key's TTL, on the callers' clock
    };
    // One tenant's keys (state/keys.hpp, "Cases").
    struct tenant_cases {
        std::int64_t seq = 0;
        std::map<std::int64_t, fields_map> cases;
        // Apart from the cases: a history entry may be recorded for a number with no case, as
        // RPUSH does.
        std::map<std::int64_t, std::vector<std::string>> history; // JSON, as encode_event writes
        std::map<std::string, std::int64_t> codes;
        std::map<std::pair<std::string, std::string>, source> sources; // (chat, message)
        memory::sorted_set open;
        std::map<std::string, memory::sorted_set> by_owner, by_resident, by_village;
    };

    // A case as every script begins with it: its tenant's keys, its fields and its status; nullopt
    // when there is no such case (no status field, as HGET status answers nil).
    struct found_case {
        tenant_cases& cases;
        fields_map& fields;
        std::string status;
    };
    std::optional<found_case> find_case(const std::string& tenant, std::int64_t number);

    open_case_result do_open(const open_case_request& req);
    std::optional<std::int64_t> do_resolve(const std::string& tenant, const std::string& ref);
    std::vector<case_event> do_history(const std::string& tenant, std::int64_t number);
    transition_result do_transition(const std::string& tenant,
                                    std::int64_t number,
                                    const std::string& to,
                                    const case_event& event,
                                    const std::string& allowed,
                                    std::int64_t now,
                                    const std::vector<std::pair<std::string, std::string>>& fields);
    claim_result do_claim(const std::string& tenant,
                          std::int64_t number,
                          const std::string& agent,
                          std::int64_t now);
    attach_result do_attach(const std::string& tenant,
                            std::int64_t number,
                            const std::string& material,
                            const std::string& file,
                            const std::string& who,
                            std::int64_t now,
                            const std::string& resume_due,
                            std::int64_t resume_due_days);
    review_result do_review(const std::string& tenant,
                            std::int64_t number,
                            const std::string& material,
                            bool accepted,
                            const std::string& reason,
                            const std::string& who,
                            std::int64_t now,
                            std::int64_t today_days);

    std::map<std::string, tenant_cases> tenants_;
};

} // namespace daiban::state
