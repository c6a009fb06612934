// state layer: the Redis key schema (DESIGN §4). Every key is `dbn:{<tenant>}:<kind>:...`; the
// braces are a Redis Cluster hash tag, so all of one tenant's keys share a slot and every Lua
// script that touches several of them stays legal on a cluster.
//
// key                                  owner                type    TTL
// dbn:{t}:seen:<chat>:<msg id>         dedupe_store         string  120 s while handling, then
//                                                                   86400 s
// dbn:{t}:conv:<conversation>          conversation_store   hash    30 days, sliding
// dbn:{t}:outbox                       outbox_store         stream  none; entries are deleted
//                                                                   once delivered or parked
//                                      (fields key, payload, attempt; consumer group "workers")
// dbn:{t}:outbox:delayed               outbox_store         zset    none; retries, score = due ms
// dbn:{t}:outbox:dead                  outbox_store         stream  none; MAXLEN ~10000
//                                      (fields key, payload, attempts, reason)
// dbn:{t}:outbox:key:<idempotency>     outbox_store         string  7 days (enqueue dedupe)
// dbn:{t}:outbox:sent:<idempotency>    outbox_store         string  7 days (delivered marker)
// dbn:{t}:wechat:token / wecom:token   token_store          string  expires_in - 300 s
// dbn:{t}:wechat:token:lock (...)      token_store          string  10 s (one refresher)
// dbn:{t}:wecom:hook:<key hash>:<min>  token_store          string  120 s (group-bot 20/min)
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

inline std::string outbox(std::string_view tenant) {
    return tenant_prefix(tenant).append("outbox");
}
inline std::string outbox_delayed(std::string_view tenant) {
    return tenant_prefix(tenant).append("outbox:delayed");
}
inline std::string outbox_dead(std::string_view tenant) {
    return tenant_prefix(tenant).append("outbox:dead");
}
inline std::string outbox_key(std::string_view tenant, std::string_view idempotency_key) {
    return tenant_prefix(tenant).append("outbox:key:").append(idempotency_key);
}
inline std::string outbox_sent(std::string_view tenant, std::string_view idempotency_key) {
    return tenant_prefix(tenant).append("outbox:sent:").append(idempotency_key);
}
// kind: "wechat" or "wecom"
inline std::string platform_token(std::string_view tenant, std::string_view kind) {
    return tenant_prefix(tenant).append(kind).append(":token");
}
inline std::string platform_token_lock(std::string_view tenant, std::string_view kind) {
    return tenant_prefix(tenant).append(kind).append(":token:lock");
}
inline std::string
webhook_minute(std::string_view tenant, std::string_view hook_id, long long minute) {
    return tenant_prefix(tenant)
        .append("wecom:hook:")
        .append(hook_id)
        .append(":")
        .append(std::to_string(minute));
}

inline constexpr const char* outbox_group = "workers";
inline constexpr long long outbox_idempotency_ttl_s = 7LL * 24 * 3600;
inline constexpr long long conversation_ttl_s = 30LL * 24 * 3600;
inline constexpr long long seen_pending_ttl_s = 120;
inline constexpr long long seen_done_ttl_s = 86400;

} // namespace daiban::state::keys
