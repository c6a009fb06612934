// state layer: conversation_store (see conversation_store.hpp).
#include "state/conversation_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"
#include "state/turn_queue.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::error_code;
using boost::system::result;

namespace {
using redis::to_int;

// A result<bool> that failed (from an error code alone it would be ambiguous: bool converts).
result<bool> failed(error_code ec) {
    return result<bool>(boost::system::in_place_error, ec);
}

// Stored as {"kind":"choice","topic":"open_case:medical_relief","options":[...]}: the topic as
// "<intent>[:<subject>]", the form conversations already in Redis carry.
std::string encode_pending(const std::optional<model::pending_question>& p) {
    if (!p) return "";
    std::string topic(model::name_of(p->topic.intent));
    if (!p->topic.subject.empty()) topic += ":" + p->topic.subject;
    return nlohmann::json{
        {"kind", model::name_of(p->kind)}, {"topic", topic}, {"options", p->options}}
        .dump();
}

std::optional<model::pending_question> decode_pending(const std::string& s) {
    auto j = nlohmann::json::parse(s, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    const auto kind = model::question_kind_named(j.value("kind", ""));
    if (!kind) return std::nullopt;
    model::pending_question p;
    p.kind = *kind;
    const std::string topic = j.value("topic", "");
    const auto colon = topic.find(':');
    // A topic naming no intent (older versions wrote "intent" for the fallback's choice) is the
    // fallback's.
    p.topic.intent =
        model::intent_named(topic.substr(0, colon)).value_or(model::intent_id::unknown);
    if (colon != std::string::npos) p.topic.subject = topic.substr(colon + 1);
    if (auto it = j.find("options"); it != j.end() && it->is_array())
        for (const auto& o : *it)
            if (o.is_string()) p.options.push_back(o.get<std::string>());
    return p;
}
} // namespace

model::conversation decode_conversation(const redis::value& v) {
    model::conversation c;
    for (std::size_t i = 0; i + 1 < v.elements.size(); i += 2) {
        const auto& k = v.elements[i].str;
        const auto& val = v.elements[i + 1].str;
        if (k == "turns")
            c.turns = to_int(val);
        else if (k == "last_seen")
            c.last_seen = to_int(val);
        else if (k == "locale")
            c.locale = val;
        else if (k == "village")
            c.village = val;
        else if (k == "pending")
            c.pending = decode_pending(val);
        else if (k == "service")
            c.service = val;
        else if (k == "opened") { // "<case number>:<unix seconds>"
            const auto colon = val.find(':');
            c.opened_case = to_int(val.substr(0, colon));
            if (colon != std::string::npos) c.opened_at = to_int(val.substr(colon + 1));
        } else if (k == "ticket") { // "<ticket number>:<unix seconds>"
            const auto colon = val.find(':');
            c.ticket = to_int(val.substr(0, colon));
            if (colon != std::string::npos) c.ticket_at = to_int(val.substr(colon + 1));
        } else if (k == "held") { // "<file>,<file>,…"
            std::size_t b = 0;
            while (b < val.size()) {
                auto e = val.find(',', b);
                if (e == std::string::npos) e = val.size();
                if (e > b) c.held_files.push_back(val.substr(b, e - b));
                b = e + 1;
            }
        }
    }
    return c;
}

std::string conversation_store::pending_value() const {
    return std::string(keys::seen_pending_prefix) + owner_;
}

asio::awaitable<result<turn_claim>> conversation_store::begin(const std::string& tenant,
                                                              const std::string& chat_id,
                                                              const std::string& message_id,
                                                              const std::string& conversation_key) {
    // One transaction of plain commands, no script: SET NX claims the id, GET reads what a first
    // delivery stored (for a new id, the value just set), HGETALL loads the conversation, and the
    // turn takes its ticket in the conversation's turn queue (turn_queue::append_enter). A plain
    // command costs Redis a fraction of an EVALSHA, and this runs for every message. Only a claim
    // found pending (a crash, or another replica working) costs a script.
    const auto seen = keys::seen(tenant, chat_id, message_id);
    std::vector<redis::command> cmds;
    cmds.reserve(5 + turn_queue::enter_commands);
    cmds.push_back({"MULTI"});
    for (auto& c : claim_commands(seen, tenant, conversation_key))
        cmds.push_back(std::move(c));
    turn_queue::append_enter(cmds, tenant, conversation_key, owner_);
    cmds.push_back({"EXEC"});
    auto r = co_await conn_.exec_many(std::move(cmds));
    if (!r) co_return r.error();
    auto& exec = r->back();
    if (!exec.is_array() || exec.elements.size() != 3 + turn_queue::enter_commands)
        co_return errc::unexpected_reply;
    turn_claim claim;
    auto ticket = turn_queue::read_enter(exec.elements, 3);
    if (!ticket) co_return ticket.error();
    claim.ticket = *ticket;
    exec.elements.resize(3);
    const auto failed_to_settle =
        co_await settle(tenant, seen, conversation_key, std::move(exec.elements), claim);
    if (failed_to_settle) co_return failed_to_settle;
    co_return claim;
}

asio::awaitable<error_code> conversation_store::look_again(const std::string& tenant,
                                                           const std::string& chat_id,
                                                           const std::string& message_id,
                                                           const std::string& conversation_key,
                                                           turn_claim& claim) {
    if (claim.duplicate) co_return error_code{}; // a committed turn stays committed
    if (!claim.in_progress) {
        auto loaded = co_await load(tenant, conversation_key);
        if (!loaded) co_return loaded.error();
        claim.conversation = std::move(*loaded);
        co_return error_code{};
    }
    // The delivery that held the claim has probably recorded its turn by now (a duplicate,
    // answered with its replies), or died (taken over).
    const auto seen = keys::seen(tenant, chat_id, message_id);
    claim.in_progress = false;
    auto replies = co_await read_claim(seen, tenant, conversation_key);
    if (!replies) co_return replies.error();
    co_return co_await settle(tenant, seen, conversation_key, std::move(*replies), claim);
}

asio::awaitable<result<std::vector<redis::value>>> conversation_store::read_claim(
    const std::string& seen, const std::string& tenant, const std::string& conversation_key) {
    auto cmds = claim_commands(seen, tenant, conversation_key);
    co_return co_await conn_.exec_many(std::move(cmds));
}

std::vector<redis::command> conversation_store::claim_commands(
    const std::string& seen, const std::string& tenant, const std::string& conversation_key) const {
    std::vector<redis::command> cmds;
    cmds.reserve(3);
    cmds.push_back(
        {"SET", seen, pending_value(), "NX", "EX", std::to_string(keys::seen_pending_ttl_s)});
    cmds.push_back({"GET", seen});
    cmds.push_back({"HGETALL", keys::conversation(tenant, conversation_key)});
    return cmds;
}

asio::awaitable<error_code> conversation_store::settle(const std::string& tenant,
                                                       const std::string& seen,
                                                       const std::string& conversation_key,
                                                       std::vector<redis::value> replies,
                                                       turn_claim& claim) {
    // A second look when the claim changed under us (committed, or expired, between the reads).
    for (int attempt = 0;; ++attempt) {
        if (replies.size() != 3) co_return errc::unexpected_reply;
        const auto& set = replies[0];
        const auto& stored = replies[1];
        const auto& hash = replies[2];
        if (set.is_error() || stored.is_error() || hash.is_error() || !hash.is_array())
            co_return errc::unexpected_reply;
        if (!set.is_nil()) { // NX accepted: the id is ours
            claim.conversation = decode_conversation(hash);
            co_return error_code{};
        }
        std::string found = stored.as_string().value_or("");
        if (!found.empty() && !found.starts_with(keys::seen_pending_prefix)) {
            claim.duplicate = true; // committed: the only true duplicate
            claim.stored = std::move(found);
            co_return error_code{};
        }
        if (!stored.is_nil()) { // pending: whose, and do they live?
            if (found.empty()) {
                // A claim written before claims named their owner: nobody can tell whether its
                // process lives, so it is waited out (keys::seen_pending_ttl_s), never taken over.
                claim.in_progress = true;
                co_return error_code{};
            }
            auto taken = co_await take_over(tenant, seen, found, conversation_key, claim);
            if (!taken) co_return taken.error();
            if (*taken) co_return error_code{};
        }
        // Expired between SET and GET (outside a transaction), or changed during the take-over.
        if (attempt == 1) {
            claim.in_progress = true; // changed twice in a row: someone else is busy with it
            co_return error_code{};
        }
        auto again = co_await read_claim(seen, tenant, conversation_key);
        if (!again) co_return again.error();
        replies = std::move(*again);
    }
}

asio::awaitable<result<bool>> conversation_store::take_over(const std::string& tenant,
                                                            const std::string& seen,
                                                            const std::string& found,
                                                            const std::string& conversation_key,
                                                            turn_claim& claim) {
    const std::string owner = found.substr(keys::seen_pending_prefix.size());
    // The caller holds the conversation's lane, so a claim of our own is no turn of ours at work.
    const bool own = !owner_.empty() && owner == owner_;
    std::vector<std::string> script_keys{seen, keys::owner_lease(tenant, owner)};
    std::vector<std::string> args{found, pending_value(), std::to_string(keys::seen_pending_ttl_s),
                                  own ? "1" : "0"};
    auto r =
        co_await conn_.eval(scripts::claim_takeover(), std::move(script_keys), std::move(args));
    if (!r) co_return failed(r.error());
    const auto n = r->as_integer();
    if (!n) co_return failed(errc::unexpected_reply);
    if (*n < 0) {
        claim.in_progress = true;
        co_return true;
    }
    if (*n == 0) co_return false; // changed meanwhile: the caller looks again
    auto loaded = co_await load(tenant, conversation_key);
    if (!loaded) co_return failed(loaded.error());
    claim.taken_over = true;
    claim.conversation = std::move(*loaded);
    co_return true;
}

asio::awaitable<result<model::conversation>>
conversation_store::load(const std::string& tenant, const std::string& conversation_key) {
    redis::command all{"HGETALL", keys::conversation(tenant, conversation_key)};
    auto hash = co_await conn_.exec(std::move(all));
    if (!hash) co_return hash.error();
    if (!hash->is_array()) co_return errc::unexpected_reply;
    co_return decode_conversation(*hash);
}

asio::awaitable<result<std::int64_t>>
conversation_store::finish(const std::string& tenant,
                           const std::string& chat_id,
                           const std::string& message_id,
                           const std::string& conversation_key,
                           const model::conversation& before,
                           const model::conversation& c,
                           const std::string& stored,
                           std::int64_t ticket) {
    // One script in one write: the id is marked done, the turn counted and the fields this turn
    // changed saved — all or none, and only while `ticket` is still the conversation's turn —
    // and the ticket passed on to the next turn.
    std::vector<std::string> set_fields, del_fields;
    // A new conversation (no hash yet) gets every field; later turns only what changed.
    const bool fresh = before.turns == 0;
    auto put = [&](const char* name, std::string value) { // "" deletes the field
        if (value.empty()) {
            if (!fresh) del_fields.push_back(name);
            return;
        }
        set_fields.push_back(name);
        set_fields.push_back(std::move(value));
    };
    if (fresh || c.last_seen != before.last_seen) put("last_seen", std::to_string(c.last_seen));
    if (fresh || c.locale != before.locale) put("locale", c.locale);
    if (fresh || c.village != before.village) put("village", c.village);
    if (fresh || c.pending != before.pending) put("pending", encode_pending(c.pending));
    if (fresh || c.service != before.service) put("service", c.service);
    if (fresh || c.opened_case != before.opened_case || c.opened_at != before.opened_at)
        put("opened", c.opened_case > 0
                          ? std::to_string(c.opened_case) + ":" + std::to_string(c.opened_at)
                          : std::string());
    if (fresh || c.ticket != before.ticket || c.ticket_at != before.ticket_at)
        put("ticket", c.ticket > 0 ? std::to_string(c.ticket) + ":" + std::to_string(c.ticket_at)
                                   : std::string());
    if (fresh || c.held_files != before.held_files) {
        std::string held;
        for (const auto& f : c.held_files)
            held += (held.empty() ? "" : ",") + f;
        put("held", std::move(held));
    }
    // The 30-day sliding TTL is renewed on the first turn of each day, not every turn: between
    // renewals it cannot drop below 29 days, and busy conversations skip a command per message.
    const bool renew = fresh || c.last_seen - before.last_seen >= keys::conversation_ttl_renew_s;

    std::vector<std::string> args;
    args.reserve(5 + set_fields.size() + del_fields.size());
    args.push_back(std::to_string(ticket));
    args.push_back(stored.empty() ? std::string("1") : stored);
    args.push_back(std::to_string(keys::seen_done_ttl_s));
    args.push_back(renew ? std::to_string(keys::conversation_ttl_s) : "0");
    args.push_back(std::to_string(keys::turn_queue_ttl_s));
    args.push_back(std::to_string(set_fields.size() / 2));
    for (auto& f : set_fields)
        args.push_back(std::move(f));
    for (auto& f : del_fields)
        args.push_back(std::move(f));
    const auto& script = scripts::turn_commit();
    redis::command commit{"EVALSHA",
                          script.sha1,
                          "5",
                          keys::seen(tenant, chat_id, message_id),
                          keys::conversation(tenant, conversation_key),
                          keys::turn_queue(tenant, conversation_key),
                          keys::turn_owners(tenant, conversation_key),
                          keys::turn_wake(tenant, conversation_key, ticket + 1)};
    for (auto& a : args)
        commit.push_back(std::move(a));
    std::vector<redis::command> cmds;
    cmds.push_back(commit);
    // Durable: with redis.wait_replicas the turn is on that many replicas before it is answered.
    auto r = co_await conn_.exec_durable(std::move(cmds));
    if (r && r->front().is_error() && r->front().str.starts_with("NOSCRIPT")) {
        // First use on this server (or it restarted): EVAL sends the body, and Redis keeps it.
        commit[0] = "EVAL";
        commit[1] = std::string(script.source);
        cmds.clear();
        cmds.push_back(std::move(commit));
        r = co_await conn_.exec_durable(std::move(cmds));
    }
    if (!r) co_return r.error();
    const auto& turns = r->front();
    if (turns.is_error()) co_return errc::redis_error_reply;
    if (!turns.as_integer()) co_return errc::unexpected_reply;
    if (turns.integer < 0) co_return errc::turn_fenced;
    co_return turns.integer;
}

asio::awaitable<void> conversation_store::abandon(const std::string& tenant,
                                                  const std::string& chat_id,
                                                  const std::string& message_id) {
    // Best effort: if Redis is down the claim is taken over once this process's lease is gone,
    // or expires. Compare-and-delete: a claim another delivery took over is not ours to drop.
    std::vector<std::string> script_keys{keys::seen(tenant, chat_id, message_id)};
    std::vector<std::string> args{pending_value()};
    (void)co_await conn_.eval(scripts::compare_delete(), std::move(script_keys), std::move(args));
}

asio::awaitable<result<std::string>>
conversation_store::village(const std::string& tenant, const std::string& conversation_key) {
    redis::command cmd{"HGET", keys::conversation(tenant, conversation_key), "village"};
    auto v = co_await conn_.exec(std::move(cmd));
    if (!v) co_return v.error();
    co_return v->as_string().value_or("");
}

} // namespace daiban::state
