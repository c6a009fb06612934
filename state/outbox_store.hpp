// state layer: the outbox (DESIGN §2; keys in state/keys.hpp). A Redis Stream per tenant with one
// consumer group; entries carry an opaque payload (the bot layer's encoded push) and an
// idempotency key. Enqueue is durable and deduplicated in one script; delivered entries are
// marked sent, acknowledged and deleted in one script; failures are parked in a delayed set with
// a due time, or dead-lettered. Stuck entries of crashed consumers are taken over with XAUTOCLAIM.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace daiban::state {

struct outbox_item {
    std::string key;     // idempotency key
    std::string payload; // opaque to the store
};

struct outbox_entry {
    std::string tenant;
    std::string id; // stream entry id
    std::string key;
    std::string payload;
    int attempt = 0; // failures before this delivery
    // Times Redis has handed this stream entry to a worker (its delivery count). Above 1 only
    // for an entry taken over from a worker that never finished it.
    int deliveries = 1;
};

struct outbox_depth {
    std::int64_t queued = 0;  // in the stream (pending delivery or being delivered)
    std::int64_t delayed = 0; // waiting for a retry
    std::int64_t dead = 0;    // dead-lettered
};

class outbox_store {
public:
    explicit outbox_store(redis::connection& conn) : conn_(conn) {}

    // Queues the items that were not queued before under the same key (nor sent). Returns how
    // many were queued.
    boost::asio::awaitable<boost::system::result<std::int64_t>>
    enqueue(const std::string& tenant, const std::vector<outbox_item>& items);

    // Creates the consumer group if missing (from the stream's start, so entries queued before
    // the first worker ran are delivered).
    boost::asio::awaitable<boost::system::result<void>> ensure_group(const std::string& tenant);

    // XREADGROUP over every tenant's stream, blocking up to `block_ms`. Only for a connection of
    // its own (it blocks that connection).
    boost::asio::awaitable<boost::system::result<std::vector<outbox_entry>>>
    read(const std::vector<std::string>& tenants,
         const std::string& consumer,
         int count,
         int block_ms);

    // Takes over entries pending longer than `min_idle_ms` with another (crashed) consumer.
    boost::asio::awaitable<boost::system::result<std::vector<outbox_entry>>>
    claim_stuck(const std::string& tenant,
                const std::string& consumer,
                std::int64_t min_idle_ms,
                int count);

    // Parked retries due by `now_ms` go back into the stream; returns how many.
    boost::asio::awaitable<boost::system::result<std::int64_t>>
    promote_due(const std::string& tenant, std::int64_t now_ms, int limit);

    boost::asio::awaitable<boost::system::result<bool>> already_sent(const std::string& tenant,
                                                                     const std::string& key);

    boost::asio::awaitable<boost::system::result<void>> done(const outbox_entry& e);

    // `attempts`: failures counted so far including this one (a deferral for a rate limit
    // passes e.attempt unchanged). Returns true when the entry went to the dead-letter stream.
    boost::asio::awaitable<boost::system::result<bool>> fail(const outbox_entry& e,
                                                             int attempts,
                                                             int max_attempts,
                                                             std::int64_t due_ms,
                                                             const std::string& reason,
                                                             bool permanent);

    boost::asio::awaitable<boost::system::result<outbox_depth>> depth(const std::string& tenant);

private:
    redis::connection& conn_;
};

// Decodes one XREADGROUP / XAUTOCLAIM entry ([id, [field, value, ...]]); exposed for tests.
bool decode_outbox_entry(const redis::value& v, const std::string& tenant, outbox_entry& out);

} // namespace daiban::state
