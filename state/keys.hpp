// state layer: the Redis key schema (DESIGN §4). Every key is `dbn:{<tenant>}:<kind>:...`; the
// braces are a Redis Cluster hash tag, so all of one tenant's keys share a slot and every Lua
// script that touches several of them stays legal on a cluster.
//
// key                                  owner                type    TTL
// dbn:{t}:seen:<chat>:<msg id>         dedupe_store         string  120 s while handling, then
//                                                                   86400 s
// dbn:{t}:conv:<conversation>          conversation_store   hash    30 days, sliding
//
// Timers (timer_store): due and in-flight sets hold timer ids; the payload is a hash.
// dbn:{t}:timers:due                   timer_store          zset    none; score = due unix ms
// dbn:{t}:timers:inflight              timer_store          zset    none; score = lease end ms
// dbn:{t}:timers:dead                  timer_store          zset    none; score = when it gave up
// dbn:{t}:timer:<timer id>             timer_store          hash    none; deleted when done
//   fields: kind, target, channel, payload, due (first due ms, names the firing), attempts
//
// Appointments (appointment_store):
// dbn:{t}:appt:seq                     appointment_store    string  none; INCR gives ids
// dbn:{t}:appt:<id>                    appointment_store    hash    none
//   fields: id, resident, channel, service, scope, office, date, time, status (active |
//   cancelled), created, updated
// dbn:{t}:appt:taken:<office>:<date>   appointment_store    hash    none; field HH:MM -> seats
//                                                                   taken
// dbn:{t}:appt:active:<resident>:<scope> appointment_store  string  none; the active appt id
//   (scope = the case id once cases exist, else the service id): one active booking per
//   resident per case
// dbn:{t}:appt:mine:<resident>        appointment_store    set     none; the resident's active ids
// dbn:{t}:appt:day:<date>              appointment_store    zset    none; score = start minute,
//                                                                   member = appt id (agents' day
//                                                                   list)
//
// dbn:{t}:inbound                      contact_store        hash    none; "<channel>:<user>" ->
//                                                                   unix s of their last message
//                                                                   (WeChat's 48 h window)
#pragma once

#include <string>
#include <string_view>

namespace daiban::state::keys {

inline std::string tenant_prefix(std::string_view tenant) {
    std::string k;
    k.reserve(8 + tenant.size());
    k.append("dbn:{").append(tenant).append("}:");
    return k;
}

inline std::string seen(std::string_view tenant, std::string_view chat, std::string_view msg_id) {
    return tenant_prefix(tenant).append("seen:").append(chat).append(":").append(msg_id);
}

inline std::string conversation(std::string_view tenant, std::string_view conversation_key) {
    return tenant_prefix(tenant).append("conv:").append(conversation_key);
}

inline std::string timers_due(std::string_view tenant) {
    return tenant_prefix(tenant).append("timers:due");
}
inline std::string timers_inflight(std::string_view tenant) {
    return tenant_prefix(tenant).append("timers:inflight");
}
inline std::string timers_dead(std::string_view tenant) {
    return tenant_prefix(tenant).append("timers:dead");
}
// The timer hash key is this prefix + the timer id (the claim script builds it).
inline std::string timer_prefix(std::string_view tenant) {
    return tenant_prefix(tenant).append("timer:");
}
inline std::string timer(std::string_view tenant, std::string_view id) {
    return timer_prefix(tenant).append(id);
}

inline std::string appointment_seq(std::string_view tenant) {
    return tenant_prefix(tenant).append("appt:seq");
}
inline std::string appointment(std::string_view tenant, std::string_view id) {
    return tenant_prefix(tenant).append("appt:").append(id);
}
inline std::string appointment_taken(std::string_view tenant,
                                     std::string_view office,
                                     std::string_view date) {
    return tenant_prefix(tenant).append("appt:taken:").append(office).append(":").append(date);
}
inline std::string appointment_active(std::string_view tenant,
                                      std::string_view resident,
                                      std::string_view scope) {
    return tenant_prefix(tenant)
        .append("appt:active:")
        .append(resident)
        .append(":")
        .append(scope);
}
inline std::string appointment_mine(std::string_view tenant, std::string_view resident) {
    return tenant_prefix(tenant).append("appt:mine:").append(resident);
}
inline std::string appointment_day(std::string_view tenant, std::string_view date) {
    return tenant_prefix(tenant).append("appt:day:").append(date);
}

inline std::string inbound(std::string_view tenant) {
    return tenant_prefix(tenant).append("inbound");
}

inline constexpr long long conversation_ttl_s = 30LL * 24 * 3600;
inline constexpr long long seen_pending_ttl_s = 120;
inline constexpr long long seen_done_ttl_s = 86400;

} // namespace daiban::state::keys
