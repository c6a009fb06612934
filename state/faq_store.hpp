// state layer: answers the staff taught the bot. A consultation the tenant's faq.json could not
// answer is answered by township staff (答复 N); `入库 N` keeps that question and answer so the
// next resident who asks the same gets it at once. The file stays the curated source (reviewed,
// with valid-until dates); these are kept apart, in Redis (keys: state/keys.hpp `faq_learned`),
// one per consultation number, so teaching twice keeps one entry.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace daiban::state {

struct learned_answer {
    std::int64_t ticket = 0; // the consultation it came from
    std::string question;    // as the resident wrote it
    std::string answer;      // as the staff answered it
    std::string by;          // agent id of whoever added it
    std::int64_t at = 0;     // unix seconds
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails.
class faq_store {
public:
    virtual ~faq_store() = default;
    // Adds or replaces the entry for `a.ticket`.
    virtual boost::asio::awaitable<void> learn(const std::string& tenant,
                                               const learned_answer& a) = 0;
    // Every learned answer, oldest consultation first.
    virtual boost::asio::awaitable<std::vector<learned_answer>>
    learned(const std::string& tenant) = 0;
};

class redis_faq_store final : public faq_store {
public:
    explicit redis_faq_store(redis::connection& conn) : conn_(conn) {}
    boost::asio::awaitable<void> learn(const std::string& tenant, const learned_answer& a) override;
    boost::asio::awaitable<std::vector<learned_answer>> learned(const std::string& tenant) override;

private:
    redis::connection& conn_;
};

// The stored form (a JSON object) both implementations share; decode returns false on a
// malformed entry, which readers skip.
std::string encode_learned(const learned_answer& a);
bool decode_learned(std::int64_t ticket, const std::string& json, learned_answer& out);

} // namespace daiban::state
