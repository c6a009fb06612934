// state layer: turn_queue (see turn_queue.hpp).
#include "state/turn_queue.hpp"

#include "state/keys.hpp"
#include "state/lua_scripts.hpp"

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

namespace {
// A result<bool> that failed (from an error code alone it would be ambiguous: bool converts).
result<bool> failed(boost::system::error_code ec) {
    return result<bool>(boost::system::in_place_error, ec);
}
} // namespace

asio::awaitable<result<turn_ticket>> turn_queue::enter(const std::string& tenant,
                                                       const std::string& conversation_key,
                                                       const std::string& owner,
                                                       std::int64_t now_ms) {
    std::vector<std::string> keys{keys::turn_queue(tenant, conversation_key)};
    std::vector<std::string> args{owner, std::to_string(now_ms),
                                  std::to_string(keys::turn_queue_ttl_s)};
    auto r = co_await conn_.eval(scripts::turn_enter(), std::move(keys), std::move(args));
    if (!r) co_return r.error();
    if (!r->is_array() || r->elements.size() != 4) co_return errc::unexpected_reply;
    turn_ticket t;
    t.ticket = r->elements[0].integer;
    t.serving = r->elements[1].integer;
    t.serving_owner = r->elements[2].str;
    t.serving_since_ms = r->elements[3].integer;
    co_return t;
}

asio::awaitable<result<turn_ticket>> turn_queue::look(const std::string& tenant,
                                                      const std::string& conversation_key,
                                                      std::int64_t ticket) {
    redis::command all{"HGETALL", keys::turn_queue(tenant, conversation_key)};
    auto r = co_await conn_.exec(std::move(all));
    if (!r) co_return r.error();
    if (!r->is_array()) co_return errc::unexpected_reply;
    turn_ticket t;
    t.ticket = ticket;
    std::string owner_field;
    for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2) {
        const auto& f = r->elements[i].str;
        const auto& v = r->elements[i + 1].str;
        if (f == "serving")
            t.serving = std::stoll(v);
        else if (f == "since")
            t.serving_since_ms = std::stoll(v);
    }
    const std::string wanted = "o:" + std::to_string(t.serving);
    for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2)
        if (r->elements[i].str == wanted) t.serving_owner = r->elements[i + 1].str;
    co_return t;
}

asio::awaitable<result<bool>> turn_queue::pass(const std::string& tenant,
                                               const std::string& conversation_key,
                                               std::int64_t ticket,
                                               std::int64_t now_ms) {
    std::vector<std::string> keys{keys::turn_queue(tenant, conversation_key),
                                  keys::turn_wake(tenant, conversation_key, ticket + 1)};
    std::vector<std::string> args{std::to_string(ticket), std::to_string(now_ms)};
    auto r = co_await conn_.eval(scripts::turn_pass(), std::move(keys), std::move(args));
    if (!r) co_return failed(r.error());
    if (!r->as_integer()) co_return failed(errc::unexpected_reply);
    co_return r->integer == 1;
}

asio::awaitable<result<bool>> turn_queue::owner_alive(const std::string& tenant,
                                                      const std::string& owner) {
    redis::command exists{"EXISTS", keys::owner_lease(tenant, owner)};
    auto r = co_await conn_.exec(std::move(exists));
    if (!r) co_return failed(r.error());
    co_return r->as_integer() == std::int64_t{1};
}

} // namespace daiban::state
