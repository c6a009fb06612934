// state layer: the Redis key schema (DESIGN §4). Every key is `dbn:{<tenant>}:<kind>:...`; the
// braces are a Redis Cluster hash tag, so all of one tenant's keys share a slot and every Lua
// script that touches several of them stays legal on a cluster.
//
// key                                  owner                type    TTL
// dbn:{t}:seen:<chat>:<msg id>         conversation_store   string  120 s while handling
//                                      (value "pending:<owner>"), then 86400 s (the turn's replies
//                                      as JSON: a committed turn; a resend gets them)
// dbn:{t}:live:<owner>                 bot/dialogue/owner_lease  string  3 s, renewed every
//                                      second by the running process <owner> (host:pid:start:
//                                      random): a claim whose owner's lease is gone is taken over
// dbn:{t}:conv:<conversation>          conversation_store   hash    30 days, sliding (renewed
//                                                                   on a day's first turn)
// dbn:{t}:turnq:<conversation>         turn_queue           hash    1 day from the last turn
//   field done: the last ticket whose turn ended. One conversation's turns run in arrival order
//   across every replica: ticket done+1 runs, the later ones wait; the ticket is the fencing
//   token turn_commit checks
// dbn:{t}:turnq:<conversation>:own     turn_queue           list    1 day from the last ticket
//   the owner token of each ticket taken and not yet ended, in ticket order (element i is ticket
//   done+1+i): RPUSH takes a ticket with plain commands; Redis deletes the list when it empties
// dbn:{t}:turnq:<conversation>:wake:<ticket>  turn_queue  list  60 s: pushed when that ticket's
//                                      turn comes; its waiter blocks on it (BLPOP)
//
// Timers (timer_store): due and in-flight sets hold timer ids; the payload is a hash.
// dbn:{t}:timers:due                   timer_store          zset    none; score = due unix ms
// dbn:{t}:timers:inflight              timer_store          zset    none; score = lease end ms
// dbn:{t}:timers:dead                  timer_store          zset    none; score = when it gave up
// dbn:{t}:timers:seq                   timer_store          string  none; arming generations
// dbn:{t}:timer:<timer id>             timer_store          hash    none; deleted when done
//   fields: kind, target, channel, payload, due (first due ms), attempts, gen (the arming;
//   id@due#gen names the firing for de-duplication)
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
//
// Tickets (ticket_store: emergencies, complaints, suggestions, consultations; records, no TTL):
// dbn:{t}:ticket:seq                   ticket_store  string  -    the tenant's ticket counter
// dbn:{t}:ticket:<n>                   ticket_store  hash    -    the ticket (fields:
//                                                                 ticket_store.cpp)
// dbn:{t}:ticket:<n>:history           ticket_store  list    -    JSON {at, who, what, why}
// dbn:{t}:ticket:src:<chat>:<msg id>   ticket_store  string  30 days  n opened by that message
// dbn:{t}:tickets:open                 ticket_store  zset    -    open tickets by reported_at
// dbn:{t}:tickets:resident:<resident>  ticket_store  zset    -    a resident's tickets by
//                                                                 reported_at
// dbn:{t}:faq:learned                  faq_store     hash    -    ticket number -> JSON
//                                      {question, answer, source, by, at}: answers staff added
//                                      with 入库 N
// (due day = civil_date::to_days() of the due date; resident = "<channel>:<platform id>")
// dbn:{t}:resident:<resident>          resident_store hash   -    village, name, channel, chat,
//                                                                  awaiting_rating (case n),
//                                                                  awaiting_ticket_rating (n)
// dbn:{t}:residents:village:<village>  resident_store set    -    residents whose profile once
//                                      named the village (read back against the profile)
//
// Campaigns (campaign_store: 收缴 / 通知 "一户不漏"; records, no TTL):
// dbn:{t}:campaign:seq                 campaign_store string  -    the tenant's campaign counter
// dbn:{t}:campaign:<n>                 campaign_store hash    -    the campaign (fields:
//                                      campaign_store.cpp)
// dbn:{t}:campaign:<n>:roster          campaign_store hash    -    member key -> JSON member
// dbn:{t}:campaign:<n>:done            campaign_store hash    -    member key -> JSON answer
// dbn:{t}:campaign:src:<chat>:<msg id> campaign_store string  30 days  n started by that message
// dbn:{t}:campaigns:open               campaign_store zset    -    open campaigns by started_at
// dbn:{t}:media:<sha256>               media_store   hash    -    size, mime, path, stored_at
// Console (console_store: staff sign-in and the trail of who saw what; tokens stored only as
// their SHA-256, so a copy of Redis signs nobody in):
// dbn:{t}:console:link:<sha256(token)> console_store string  10 min   agent id (one-time link)
// dbn:{t}:console:session:<sha256>     console_store hash    idle TTL agent, csrf, created_at
// dbn:{t}:console:password:<agent>     console_store string  -        Argon2id string (libsodium)
// dbn:{t}:console:tries:<who>          console_store string  window   failed sign-ins
//                                                                      ("agent:<id>", "addr:<ip>")
// dbn:{t}:case:<n>:views               console_store list    -        JSON {at, who, file, from}:
//                                                                      every view of a material
// dbn:{t}:feed                         case/ticket Lua stream MAXLEN ~1000: new cases and
//                                      tickets, for the console's live updates
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
// dbn:{t}:wecom:hook:<key hash>:sent token_store          zset    60 s; what went out through
//                                                                   the group bot in the rolling
//                                                                   minute (20 allowed)
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

// The liveness lease of one running process (the owner token its turn claims carry).
inline std::string owner_lease(std::string_view tenant, std::string_view owner) {
    return tenant_prefix(tenant).append("live:").append(owner);
}

inline std::string conversation(std::string_view tenant, std::string_view conversation_key) {
    return tenant_prefix(tenant).append("conv:").append(conversation_key);
}

inline std::string turn_queue(std::string_view tenant, std::string_view conversation_key) {
    return tenant_prefix(tenant).append("turnq:").append(conversation_key);
}

inline std::string turn_owners(std::string_view tenant, std::string_view conversation_key) {
    return turn_queue(tenant, conversation_key).append(":own");
}

inline std::string
turn_wake(std::string_view tenant, std::string_view conversation_key, std::int64_t ticket) {
    return turn_queue(tenant, conversation_key).append(":wake:").append(std::to_string(ticket));
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
inline std::string timers_seq(std::string_view tenant) {
    return tenant_prefix(tenant).append("timers:seq");
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
inline std::string
appointment_taken(std::string_view tenant, std::string_view office, std::string_view date) {
    return tenant_prefix(tenant).append("appt:taken:").append(office).append(":").append(date);
}
inline std::string
appointment_active(std::string_view tenant, std::string_view resident, std::string_view scope) {
    return tenant_prefix(tenant).append("appt:active:").append(resident).append(":").append(scope);
}
inline std::string appointment_mine(std::string_view tenant, std::string_view resident) {
    return tenant_prefix(tenant).append("appt:mine:").append(resident);
}
inline std::string appointment_day(std::string_view tenant, std::string_view date) {
    return tenant_prefix(tenant).append("appt:day:").append(date);
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
inline std::string ticket_seq(std::string_view tenant) {
    return tenant_prefix(tenant).append("ticket:seq");
}
inline std::string ticket_hash(std::string_view tenant, std::int64_t n) {
    return tenant_prefix(tenant).append("ticket:").append(std::to_string(n));
}
inline std::string ticket_history(std::string_view tenant, std::int64_t n) {
    return ticket_hash(tenant, n).append(":history");
}
inline std::string
ticket_source(std::string_view tenant, std::string_view chat, std::string_view msg_id) {
    return tenant_prefix(tenant).append("ticket:src:").append(chat).append(":").append(msg_id);
}
inline std::string tickets_open(std::string_view tenant) {
    return tenant_prefix(tenant).append("tickets:open");
}
inline std::string tickets_by_resident(std::string_view tenant, std::string_view resident) {
    return tenant_prefix(tenant).append("tickets:resident:").append(resident);
}
inline std::string faq_learned(std::string_view tenant) {
    return tenant_prefix(tenant).append("faq:learned");
}
inline std::string resident(std::string_view tenant, std::string_view resident) {
    return tenant_prefix(tenant).append("resident:").append(resident);
}
inline std::string residents_by_village(std::string_view tenant, std::string_view village) {
    return tenant_prefix(tenant).append("residents:village:").append(village);
}
inline std::string campaign_seq(std::string_view tenant) {
    return tenant_prefix(tenant).append("campaign:seq");
}
inline std::string campaign_hash(std::string_view tenant, std::int64_t n) {
    return tenant_prefix(tenant).append("campaign:").append(std::to_string(n));
}
inline std::string campaign_roster(std::string_view tenant, std::int64_t n) {
    return campaign_hash(tenant, n).append(":roster");
}
inline std::string campaign_done(std::string_view tenant, std::int64_t n) {
    return campaign_hash(tenant, n).append(":done");
}
inline std::string
campaign_source(std::string_view tenant, std::string_view chat, std::string_view msg_id) {
    return tenant_prefix(tenant).append("campaign:src:").append(chat).append(":").append(msg_id);
}
inline std::string campaigns_open(std::string_view tenant) {
    return tenant_prefix(tenant).append("campaigns:open");
}
inline std::string media(std::string_view tenant, std::string_view sha256) {
    return tenant_prefix(tenant).append("media:").append(sha256);
}

inline std::string console_link(std::string_view tenant, std::string_view digest) {
    return tenant_prefix(tenant).append("console:link:").append(digest);
}
inline std::string console_session(std::string_view tenant, std::string_view digest) {
    return tenant_prefix(tenant).append("console:session:").append(digest);
}
inline std::string console_password(std::string_view tenant, std::string_view agent) {
    return tenant_prefix(tenant).append("console:password:").append(agent);
}
inline std::string console_tries(std::string_view tenant, std::string_view who) {
    return tenant_prefix(tenant).append("console:tries:").append(who);
}
inline std::string case_views(std::string_view tenant, std::int64_t n) {
    return tenant_prefix(tenant).append("case:").append(std::to_string(n)).append(":views");
}
inline std::string feed(std::string_view tenant) {
    return tenant_prefix(tenant).append("feed");
}

inline constexpr long long case_source_ttl_s = 30LL * 24 * 3600;
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
inline std::string webhook_sent(std::string_view tenant, std::string_view hook_id) {
    return tenant_prefix(tenant).append("wecom:hook:").append(hook_id).append(":sent");
}

inline constexpr const char* outbox_group = "workers";
inline constexpr long long outbox_idempotency_ttl_s = 7LL * 24 * 3600;
inline constexpr long long conversation_ttl_s = 30LL * 24 * 3600;
inline constexpr long long conversation_ttl_renew_s = 24LL * 3600; // renewed at most daily
inline constexpr long long seen_pending_ttl_s = 120;
// A claim carries its owner; the owner renews its lease every owner_lease_renew_ms. After
// owner_lease_ms without renewal (the process died, or lost Redis that long) its claims are
// taken over by a resend: well inside WeChat's three deliveries five seconds apart.
inline constexpr long long owner_lease_ms = 3000;
inline constexpr long long owner_lease_renew_ms = 1000;
inline constexpr std::string_view seen_pending_prefix = "pending:";
inline constexpr long long seen_done_ttl_s = 86400;
// The turn queue lives a day past a conversation's last turn. A turn its waiters have seen served
// for longer than turn_max_ms is passed by them even if its owner lives (a stuck turn must not stop
// a conversation for good; its commit is then refused by the fence). A waiter looks again every
// turn_wait_ms for an owner that died without passing its ticket.
inline constexpr long long turn_queue_ttl_s = 86400;
inline constexpr long long turn_max_ms = 30000;
inline constexpr long long turn_wait_ms = 1000;

} // namespace daiban::state::keys
