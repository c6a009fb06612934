// state layer: the Redis key schema (DESIGN §4). Every key is `dbn:{<tenant>}:<kind>:...`; the
// braces are a Redis Cluster hash tag, so all of one tenant's keys share a slot and every Lua
// script that touches several of them stays legal on a cluster.
//
// key                                  owner                type    TTL
// dbn:{t}:seen:<chat>:<msg id>         dedupe_store         string  120 s while handling, then
// 86400 s dbn:{t}:conv:<conversation>          conversation_store   hash    30 days, sliding
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

inline constexpr long long conversation_ttl_s = 30LL * 24 * 3600;
inline constexpr long long seen_pending_ttl_s = 120;
inline constexpr long long seen_done_ttl_s = 86400;

} // namespace daiban::state::keys
