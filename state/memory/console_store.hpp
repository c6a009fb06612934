// state layer, in memory: console_store for handler unit tests. Time does not pass here: links
// and sessions never expire and failure windows never end (the Redis store's TTLs do that).
#pragma once

#include "state/console_store.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace daiban::state {

class memory_console_store final : public console_store {
public:
    boost::asio::awaitable<void> put_link(const std::string& tenant,
                                          const std::string& digest,
                                          const std::string& agent,
                                          std::int64_t ttl_s) override;
    boost::asio::awaitable<std::optional<std::string>>
    take_link(const std::string& tenant, const std::string& digest) override;
    boost::asio::awaitable<void> put_session(const std::string& tenant,
                                             const std::string& digest,
                                             const console_session& s,
                                             std::int64_t idle_s) override;
    boost::asio::awaitable<std::optional<console_session>> touch_session(
        const std::string& tenant, const std::string& digest, std::int64_t idle_s) override;
    boost::asio::awaitable<void> drop_session(const std::string& tenant,
                                              const std::string& digest) override;
    boost::asio::awaitable<void> set_password(const std::string& tenant,
                                              const std::string& agent,
                                              const std::string& hash) override;
    boost::asio::awaitable<std::optional<std::string>> password(const std::string& tenant,
                                                                const std::string& agent) override;
    boost::asio::awaitable<std::int64_t> failures(const std::string& tenant,
                                                  const std::string& who) override;
    boost::asio::awaitable<std::pair<std::int64_t, std::int64_t>>
    add_failure(const std::string& tenant, const std::string& who, std::int64_t window_s) override;
    boost::asio::awaitable<void> clear_failures(const std::string& tenant,
                                                const std::string& who) override;
    boost::asio::awaitable<void>
    log_view(const std::string& tenant, std::int64_t case_number, const file_view& v) override;
    boost::asio::awaitable<std::vector<file_view>> views(const std::string& tenant,
                                                         std::int64_t case_number) override;

    // What tests look at: the links handed out, as (tenant, digest) -> agent.
    const std::map<std::pair<std::string, std::string>, std::string>& links() const {
        return links_;
    }

private:
    using key = std::pair<std::string, std::string>;
    std::map<key, std::string> links_;
    std::map<key, console_session> sessions_;
    std::map<key, std::string> passwords_;
    std::map<key, std::int64_t> failures_;
    std::map<std::pair<std::string, std::int64_t>, std::vector<file_view>> views_;
};

} // namespace daiban::state
