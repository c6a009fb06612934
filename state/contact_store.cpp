// state layer: contact_store (see contact_store.hpp).
#include "state/contact_store.hpp"

#include "state/keys.hpp"

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

redis::command contact_store::inbound_command(const std::string& tenant,
                                             const std::string& channel,
                                             const std::string& user,
                                             std::int64_t now) {
    return {"HSET", keys::inbound(tenant), channel + ":" + user, std::to_string(now)};
}

asio::awaitable<result<std::optional<std::int64_t>>> contact_store::last_inbound(
    const std::string& tenant, const std::string& channel, const std::string& user) {
    std::vector<std::string> cmd{"HGET", keys::inbound(tenant), channel + ":" + user};
    auto r = co_await conn_.exec(std::move(cmd));
    if (!r) co_return r.error();
    if (r->is_nil()) co_return std::optional<std::int64_t>{};
    const auto text = r->as_string().value_or("");
    std::int64_t v = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), v).ec != std::errc{})
        co_return std::optional<std::int64_t>{};
    co_return std::optional<std::int64_t>{v};
}

} // namespace daiban::state
