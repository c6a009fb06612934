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

// The `done` field of the queue hash (nil: no ticket ended yet, or the queue expired).
std::int64_t done_of(const redis::value& v) {
    const auto s = v.as_string();
    return s ? redis::to_int(*s) : 0;
}
} // namespace

void turn_queue::append_enter(std::vector<redis::command>& transaction,
                              const std::string& tenant,
                              const std::string& conversation_key,
                              const std::string& owner) {
    auto owners = keys::turn_owners(tenant, conversation_key);
    transaction.push_back({"RPUSH", owners, owner});
    transaction.push_back({"HGET", keys::turn_queue(tenant, conversation_key), "done"});
    transaction.push_back({"EXPIRE", std::move(owners), std::to_string(keys::turn_queue_ttl_s)});
}

result<turn_ticket> turn_queue::read_enter(const std::vector<redis::value>& replies,
                                           std::size_t first) {
    if (replies.size() < first + enter_commands) return errc::unexpected_reply;
    const auto waiting = replies[first].as_integer(); // the owners list's length, this one in it
    const auto& done = replies[first + 1];
    if (!waiting || *waiting < 1 || done.is_error()) return errc::unexpected_reply;
    turn_ticket t;
    t.serving = done_of(done) + 1;
    t.ticket = t.serving + *waiting - 1;
    return t;
}

asio::awaitable<result<turn_ticket>> turn_queue::look(const std::string& tenant,
                                                      const std::string& conversation_key,
                                                      std::int64_t ticket) {
    // One transaction: the served ticket and its owner must come from the same moment.
    std::vector<redis::command> cmds;
    cmds.push_back({"MULTI"});
    cmds.push_back({"HGET", keys::turn_queue(tenant, conversation_key), "done"});
    cmds.push_back({"LINDEX", keys::turn_owners(tenant, conversation_key), "0"});
    cmds.push_back({"EXEC"});
    auto r = co_await conn_.exec_many(std::move(cmds));
    if (!r) co_return r.error();
    const auto& exec = r->back();
    if (!exec.is_array() || exec.elements.size() != 2 || exec.elements[0].is_error())
        co_return errc::unexpected_reply;
    turn_ticket t;
    t.ticket = ticket;
    t.serving = done_of(exec.elements[0]) + 1;
    t.serving_owner = exec.elements[1].as_string().value_or("");
    co_return t;
}

asio::awaitable<result<bool>> turn_queue::pass(const std::string& tenant,
                                               const std::string& conversation_key,
                                               std::int64_t ticket) {
    std::vector<std::string> keys{keys::turn_queue(tenant, conversation_key),
                                  keys::turn_owners(tenant, conversation_key),
                                  keys::turn_wake(tenant, conversation_key, ticket + 1)};
    std::vector<std::string> args{std::to_string(ticket), std::to_string(keys::turn_queue_ttl_s)};
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
