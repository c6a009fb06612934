// state layer, in memory: console_store (see console_store.hpp).
#include "state/memory/console_store.hpp"

namespace daiban::state {

namespace asio = boost::asio;

asio::awaitable<void> memory_console_store::put_link(const std::string& tenant,
                                                     const std::string& digest,
                                                     const std::string& agent,
                                                     std::int64_t) {
    links_[{tenant, digest}] = agent;
    co_return;
}

asio::awaitable<std::optional<std::string>>
memory_console_store::take_link(const std::string& tenant, const std::string& digest) {
    auto it = links_.find({tenant, digest});
    if (it == links_.end()) co_return std::nullopt;
    auto agent = it->second;
    links_.erase(it);
    co_return agent;
}

asio::awaitable<void> memory_console_store::put_session(const std::string& tenant,
                                                        const std::string& digest,
                                                        const console_session& s,
                                                        std::int64_t) {
    sessions_[{tenant, digest}] = s;
    co_return;
}

asio::awaitable<std::optional<console_session>> memory_console_store::touch_session(
    const std::string& tenant, const std::string& digest, std::int64_t) {
    auto it = sessions_.find({tenant, digest});
    if (it == sessions_.end()) co_return std::nullopt;
    co_return it->second;
}

asio::awaitable<void> memory_console_store::drop_session(const std::string& tenant,
                                                         const std::string& digest) {
    sessions_.erase({tenant, digest});
    co_return;
}

asio::awaitable<void> memory_console_store::set_password(const std::string& tenant,
                                                         const std::string& agent,
                                                         const std::string& hash) {
    passwords_[{tenant, agent}] = hash;
    co_return;
}

asio::awaitable<std::optional<std::string>>
memory_console_store::password(const std::string& tenant, const std::string& agent) {
    auto it = passwords_.find({tenant, agent});
    if (it == passwords_.end()) co_return std::nullopt;
    co_return it->second;
}

asio::awaitable<std::int64_t> memory_console_store::failures(const std::string& tenant,
                                                             const std::string& who) {
    auto it = failures_.find({tenant, who});
    co_return it == failures_.end() ? 0 : it->second;
}

asio::awaitable<std::pair<std::int64_t, std::int64_t>> memory_console_store::add_failure(
    const std::string& tenant, const std::string& who, std::int64_t window_s) {
    co_return std::pair{++failures_[{tenant, who}], window_s};
}

asio::awaitable<void> memory_console_store::clear_failures(const std::string& tenant,
                                                           const std::string& who) {
    failures_.erase({tenant, who});
    co_return;
}

asio::awaitable<void> memory_console_store::log_view(const std::string& tenant,
                                                     std::int64_t case_number,
                                                     const file_view& v) {
    views_[{tenant, case_number}].push_back(v);
    co_return;
}

asio::awaitable<std::vector<file_view>> memory_console_store::views(const std::string& tenant,
                                                                    std::int64_t case_number) {
    auto it = views_.find({tenant, case_number});
    co_return it == views_.end() ? std::vector<file_view>{} : it->second;
}

} // namespace daiban::state
