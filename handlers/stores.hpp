// handlers layer: the stores a handler works with, typed and never null. The dispatcher keeps one
// set per shard (each shard has its own Redis connection) and hands it to every turn's context;
// a handler never builds a store or sees a connection.
#pragma once

#include "state/appointment_store.hpp"
#include "state/case_store.hpp"
#include "state/media_store.hpp"
#include "state/redis/connection.hpp"
#include "state/resident_store.hpp"
#include "state/timer_store.hpp"

#include <string>

namespace daiban::handlers {

struct stores {
    // `data_dir`: where received documents are kept (config data_dir).
    stores(state::redis::connection& redis, std::string data_dir)
        : cases(redis), residents(redis), appointments(redis), timers(redis),
          media(redis, data_dir.empty() ? "var/data" : std::move(data_dir)) {}

    state::case_store cases;
    state::resident_store residents;
    state::appointment_store appointments;
    state::timer_store timers;
    state::media_store media;
};

} // namespace daiban::handlers
