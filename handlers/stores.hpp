// handlers layer: the stores a handler works with, typed and never null: `ctx.stores.cases`,
// `.residents`, `.appointments`, `.timers`, `.media`, `.tickets`, `.faq`, `.campaigns`, `.console`.
// They are interfaces (state/*_store.hpp): the server gives every turn its shard's Redis stores
// (redis_stores, one set per shard, each on that shard's connection); handler unit tests give
// in-memory ones. A handler never builds a store or sees a connection.
#pragma once

#include "state/appointment_store.hpp"
#include "state/campaign_store.hpp"
#include "state/case_store.hpp"
#include "state/console_store.hpp"
#include "state/faq_store.hpp"
#include "state/media_store.hpp"
#include "state/redis/connection.hpp"
#include "state/resident_store.hpp"
#include "state/ticket_store.hpp"
#include "state/timer_store.hpp"

#include <string>

namespace daiban::handlers {

struct stores {
    state::case_store& cases;
    state::resident_store& residents;
    state::appointment_store& appointments;
    state::timer_store& timers;
    state::media_store& media;
    state::ticket_store& tickets;
    state::faq_store& faq;
    state::campaign_store& campaigns;
    state::console_store& console; // sign-in links (后台) and who viewed which material
};

// The production set: every store on one Redis connection. `data_dir`: where received documents
// are kept (config data_dir). Not movable: `view` refers to the members.
struct redis_stores {
    redis_stores(state::redis::connection& redis, std::string data_dir)
        : cases(redis), residents(redis), appointments(redis), timers(redis),
          media(redis, data_dir.empty() ? "var/data" : std::move(data_dir)), tickets(redis),
          faq(redis), campaigns(redis), console(redis) {}
    redis_stores(const redis_stores&) = delete;
    redis_stores& operator=(const redis_stores&) = delete;

    state::redis_case_store cases;
    state::redis_resident_store residents;
    state::redis_appointment_store appointments;
    state::redis_timer_store timers;
    state::redis_media_store media;
    state::redis_ticket_store tickets;
    state::redis_faq_store faq;
    state::redis_campaign_store campaigns;
    state::redis_console_store console;
    stores view{cases, residents, appointments, timers, media, tickets, faq, campaigns, console};
};

} // namespace daiban::handlers
