// state layer: what the staff console keeps (keys: state/keys.hpp "Console"). One-time sign-in
// links and sessions, addressed by the SHA-256 of their token (the token itself lives only in
// the link and the cookie); password hashes (the caller hashes: bot/console/passwords); counts
// of failed sign-ins in a rolling window; and each case's trail of who viewed its material files
// (委托 audit: residents ask "谁看过我的材料").
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace daiban::state {

struct console_session {
    std::string agent;           // org.json agent id
    std::string csrf;            // the token every state-changing request must carry
    std::int64_t created_at = 0; // unix s
};

struct file_view {
    std::int64_t at = 0;
    std::string who;  // agent id
    std::string file; // sha256 of the material file
    std::string from; // the viewer's address
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails.
class console_store {
public:
    virtual ~console_store() = default;

    // One-time links: `take_link` returns the agent once, then never again (GETDEL).
    virtual boost::asio::awaitable<void> put_link(const std::string& tenant,
                                                  const std::string& digest,
                                                  const std::string& agent,
                                                  std::int64_t ttl_s) = 0;
    virtual boost::asio::awaitable<std::optional<std::string>>
    take_link(const std::string& tenant, const std::string& digest) = 0;

    // Sessions expire after `idle_s` without use; `touch_session` reads one and restarts its idle
    // clock.
    virtual boost::asio::awaitable<void> put_session(const std::string& tenant,
                                                     const std::string& digest,
                                                     const console_session& s,
                                                     std::int64_t idle_s) = 0;
    virtual boost::asio::awaitable<std::optional<console_session>>
    touch_session(const std::string& tenant, const std::string& digest, std::int64_t idle_s) = 0;
    virtual boost::asio::awaitable<void> drop_session(const std::string& tenant,
                                                      const std::string& digest) = 0;

    virtual boost::asio::awaitable<void>
    set_password(const std::string& tenant, const std::string& agent, const std::string& hash) = 0;
    virtual boost::asio::awaitable<std::optional<std::string>>
    password(const std::string& tenant, const std::string& agent) = 0;

    // Failed sign-ins of `who` in the current window (the window starts at the first failure).
    virtual boost::asio::awaitable<std::int64_t> failures(const std::string& tenant,
                                                          const std::string& who) = 0;
    // Counts one more; returns the count and the seconds until the window ends.
    virtual boost::asio::awaitable<std::pair<std::int64_t, std::int64_t>>
    add_failure(const std::string& tenant, const std::string& who, std::int64_t window_s) = 0;
    virtual boost::asio::awaitable<void> clear_failures(const std::string& tenant,
                                                        const std::string& who) = 0;

    virtual boost::asio::awaitable<void>
    log_view(const std::string& tenant, std::int64_t case_number, const file_view& v) = 0;
    // Oldest first.
    virtual boost::asio::awaitable<std::vector<file_view>> views(const std::string& tenant,
                                                                 std::int64_t case_number) = 0;
};

class redis_console_store final : public console_store {
public:
    explicit redis_console_store(redis::connection& conn) : conn_(conn) {}

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

private:
    redis::connection& conn_;
};

// The stored form of a view (JSON), shared by both implementations; decode returns nullopt on a
// malformed entry, which readers skip.
std::string encode_view(const file_view& v);
std::optional<file_view> decode_view(const std::string& stored);

} // namespace daiban::state
