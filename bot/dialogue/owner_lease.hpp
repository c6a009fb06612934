// bot layer, dialogue: this process's owner token and its liveness lease. Every turn claim the
// process writes names the token (state/conversation_store); the lease (keys::owner_lease, one
// per tenant so it lives in the tenant's slot) is renewed every keys::owner_lease_renew_ms and
// lapses keys::owner_lease_ms after the process dies. A resend that finds a claim whose owner's
// lease is gone takes it over and runs the message: a kill between claim and commit loses
// nothing, and a live owner's claim is never taken (no message runs twice).
#pragma once

#include "state/redis/connection.hpp"

#include <memory>
#include <string>
#include <vector>

namespace daiban::bot::dialogue {

// host:pid:start-ms:random — unique per process start, readable in Redis by an operator.
std::string make_owner_token();

class owner_lease {
public:
    // Renews on `redis` (a shard's connection), from that connection's executor.
    owner_lease(state::redis::connection& redis,
                boost::asio::any_io_executor ex,
                std::vector<std::string> tenants,
                std::string token);
    ~owner_lease();
    owner_lease(const owner_lease&) = delete;
    owner_lease& operator=(const owner_lease&) = delete;

    const std::string& token() const;
    void start();
    // Stops renewing; the lease then lapses by itself (after a graceful drain no claim is left).
    void stop();

    struct state_t; // public so the file-local renewal coroutine can name it

private:
    std::shared_ptr<state_t> state_;
};

} // namespace daiban::bot::dialogue
