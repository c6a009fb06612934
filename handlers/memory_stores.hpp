// handlers layer: the in-memory set of stores (state/memory/), for handler unit tests: what
// redis_stores is to the server, without Redis or disk. A test keeps the members to look at what
// a handler stored. Not movable: `view` refers to the members.
#pragma once

#include "handlers/stores.hpp"
#include "state/memory/appointment_store.hpp"
#include "state/memory/campaign_store.hpp"
#include "state/memory/case_store.hpp"
#include "state/memory/console_store.hpp"
#include "state/memory/faq_store.hpp"
#include "state/memory/media_store.hpp"
#include "state/memory/resident_store.hpp"
#include "state/memory/ticket_store.hpp"
#include "state/memory/timer_store.hpp"

namespace daiban::handlers {

struct memory_stores {
    memory_stores() = default;
    memory_stores(const memory_stores&) = delete;
    memory_stores& operator=(const memory_stores&) = delete;

    state::memory_case_store cases;
    state::memory_resident_store residents;
    state::memory_appointment_store appointments;
    state::memory_timer_store timers;
    state::memory_media_store media;
    state::memory_ticket_store tickets;
    state::memory_faq_store faq;
    state::memory_campaign_store campaigns;
    state::memory_console_store console;
    stores view{cases, residents, appointments, timers, media, tickets, faq, campaigns, console};
};

} // namespace daiban::handlers
