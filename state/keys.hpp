// state layer: the Redis key schema (DESIGN §4). Every key is `dbn:{<tenant>}:<kind>:...`; the
// braces are a Redis Cluster hash tag, so all of one tenant's keys share a slot and every Lua
// script that touches several of them stays legal on a cluster.
//
// key                                  owner                type    TTL
// dbn:{t}:seen:<chat>:<msg id>         dedupe_store         string  120 s while handling, then
// 86400 s dbn:{t}:conv:<conversation>          conversation_store   hash    30 days, sliding
//
// Cases (case_store; none of these expire: cases are records):
// dbn:{t}:case:seq                     case_store    string  -    the tenant's case number counter
// dbn:{t}:case:<n>                     case_store    hash    -    the case (fields: case_store.cpp)
// dbn:{t}:case:<n>:history             case_store    list    -    JSON {at, who, what, why}
// dbn:{t}:case:codes                   case_store    hash    -    code (DEMO-20261122-0012) -> n
// dbn:{t}:case:src:<chat>:<msg id>     case_store    string  30 days  n opened by that message
// dbn:{t}:cases:open                   case_store    zset    -    open cases, score = due day
// dbn:{t}:cases:owner:<agent id>       case_store    zset    -    an owner's open cases by due day
// dbn:{t}:cases:resident:<resident>    case_store    zset    -    a resident's cases by opened_at
// dbn:{t}:cases:village:<village id>   case_store    zset    -    a village's cases by opened_at
// (due day = civil_date::to_days() of the due date; resident = "<channel>:<platform id>")
// dbn:{t}:resident:<resident>          resident_store hash   -    village, name, channel, chat,
//                                                                  awaiting_rating (case n)
// dbn:{t}:media:<sha256>               media_store   hash    -    size, mime, path, stored_at
#pragma once

#include <cstdint>
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

inline std::string case_seq(std::string_view tenant) {
    return tenant_prefix(tenant).append("case:seq");
}
inline std::string case_hash(std::string_view tenant, std::int64_t n) {
    return tenant_prefix(tenant).append("case:").append(std::to_string(n));
}
inline std::string case_history(std::string_view tenant, std::int64_t n) {
    return case_hash(tenant, n).append(":history");
}
inline std::string case_codes(std::string_view tenant) {
    return tenant_prefix(tenant).append("case:codes");
}
inline std::string
case_source(std::string_view tenant, std::string_view chat, std::string_view msg_id) {
    return tenant_prefix(tenant).append("case:src:").append(chat).append(":").append(msg_id);
}
inline std::string cases_open(std::string_view tenant) {
    return tenant_prefix(tenant).append("cases:open");
}
inline std::string cases_by_owner(std::string_view tenant, std::string_view agent) {
    return tenant_prefix(tenant).append("cases:owner:").append(agent);
}
inline std::string cases_by_resident(std::string_view tenant, std::string_view resident) {
    return tenant_prefix(tenant).append("cases:resident:").append(resident);
}
inline std::string cases_by_village(std::string_view tenant, std::string_view village) {
    return tenant_prefix(tenant).append("cases:village:").append(village);
}
inline std::string resident(std::string_view tenant, std::string_view resident) {
    return tenant_prefix(tenant).append("resident:").append(resident);
}
inline std::string media(std::string_view tenant, std::string_view sha256) {
    return tenant_prefix(tenant).append("media:").append(sha256);
}

inline constexpr long long case_source_ttl_s = 30LL * 24 * 3600;
inline constexpr long long conversation_ttl_s = 30LL * 24 * 3600;
inline constexpr long long seen_pending_ttl_s = 120;
inline constexpr long long seen_done_ttl_s = 86400;

} // namespace daiban::state::keys
