// state layer: conversation_store (see conversation_store.hpp).
#include "state/conversation_store.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

#include <nlohmann/json.hpp>

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

namespace {
using redis::to_int;

std::string encode_pending(const std::optional<handlers::pending_question>& p) {
    if (!p) return "";
    return nlohmann::json{{"kind", p->kind}, {"topic", p->topic}, {"options", p->options}}.dump();
}

std::optional<handlers::pending_question> decode_pending(const std::string& s) {
    auto j = nlohmann::json::parse(s, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    handlers::pending_question p;
    p.kind = j.value("kind", "");
    p.topic = j.value("topic", "");
    if (auto it = j.find("options"); it != j.end() && it->is_array())
        for (const auto& o : *it)
            if (o.is_string()) p.options.push_back(o.get<std::string>());
    if (p.kind.empty()) return std::nullopt;
    return p;
}
} // namespace

handlers::conversation decode_conversation(const redis::value& v) {
    handlers::conversation c;
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
    }
    return c;
}

asio::awaitable<result<turn_claim>> conversation_store::begin(const std::string& tenant,
                                                              const std::string& chat_id,
                                                              const std::string& message_id,
                                                              const std::string& conversation_key) {
    // (Vectors are built before co_await: GCC 12 miscompiles braced lists inside co_await.)
    std::vector<std::string> k{keys::seen(tenant, chat_id, message_id),
                               keys::conversation(tenant, conversation_key)};
    std::vector<std::string> a{std::to_string(keys::seen_pending_ttl_s)};
    auto r = co_await conn_.eval(scripts::begin_turn(), std::move(k), std::move(a));
    if (!r) co_return r.error();
    if (r->is_error() || !r->is_array() || r->elements.size() != 2)
        co_return errc::unexpected_reply;
    turn_claim claim;
    claim.duplicate = r->elements[0].integer == 0;
    if (claim.duplicate)
        claim.stored = r->elements[1].str;
    else
        claim.conversation = decode_conversation(r->elements[1]);
    co_return claim;
}

asio::awaitable<result<std::int64_t>>
conversation_store::finish(const std::string& tenant,
                           const std::string& chat_id,
                           const std::string& message_id,
                           const std::string& conversation_key,
                           const handlers::conversation& c,
                           const std::string& stored) {
    std::vector<std::string> args{std::to_string(keys::seen_done_ttl_s),
                                  std::to_string(keys::conversation_ttl_s),
                                  stored.empty() ? std::string("1") : stored,
                                  "last_seen",
                                  std::to_string(c.last_seen),
                                  "locale",
                                  c.locale,
                                  "village",
                                  c.village,
                                  "pending",
                                  encode_pending(c.pending)};
    std::vector<std::string> k{keys::seen(tenant, chat_id, message_id),
                               keys::conversation(tenant, conversation_key)};
    auto r = co_await conn_.eval(scripts::finish_turn(), std::move(k), std::move(args));
    if (!r) co_return r.error();
    if (auto n = r->as_integer()) co_return *n;
    co_return errc::unexpected_reply;
}

asio::awaitable<void> conversation_store::abandon(const std::string& tenant,
                                                  const std::string& chat_id,
                                                  const std::string& message_id) {
    // Best effort: if Redis is down the claim expires by itself.
    redis::command del{"DEL", keys::seen(tenant, chat_id, message_id)};
    (void)co_await conn_.exec(std::move(del));
}

} // namespace daiban::state
