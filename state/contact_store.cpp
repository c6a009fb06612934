// state layer: contact_store (see contact_store.hpp).
#include "state/contact_store.hpp"

#include "state/keys.hpp"

#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<std::optional<std::int64_t>>>
contact_store::last_inbound(const std::string& tenant, const std::string& user) {
    std::vector<std::string> cmd{"HGET", keys::conversation(tenant, "p:" + user), "last_seen"};
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
