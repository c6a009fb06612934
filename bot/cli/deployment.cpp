// bot layer, cli: deployment helpers (see deployment.hpp).
#include "bot/cli/deployment.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <iostream>

namespace daiban::bot::cli {

namespace asio = boost::asio;

std::optional<tenant_on_disk> load_tenant_or_report(const config& cfg,
                                                    const std::string& config_file,
                                                    const std::string& tenant_id) {
    tenant_on_disk t;
    t.cfg = tenant_id.empty() && !cfg.tenants.empty() ? &cfg.tenants.front()
                                                      : cfg.find_tenant(tenant_id);
    if (!t.cfg) {
        std::cerr << config_file << ": no tenant '" << tenant_id << "' (see tenants[].id)\n";
        return std::nullopt;
    }
    std::vector<model::data_problem> problems;
    t.data = model::load_tenant_data(t.cfg->data_dir, problems);
    for (const auto& p : problems)
        std::cerr << p.file << (p.path.empty() ? "" : ": " + p.path) << ": " << p.message << "\n";
    if (!t.data) return std::nullopt;
    return t;
}

int with_redis(const std::string& address, const redis_job& job) {
    asio::io_context ioc{1};
    state::redis::config rc;
    rc.address = address;
    state::redis::connection redis(ioc.get_executor(), rc);
    int code = 1;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            redis.start();
            asio::steady_timer wait(ioc);
            for (int i = 0; i < 40 && !redis.connected(); ++i) {
                wait.expires_after(std::chrono::milliseconds(50));
                co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
            }
            code = co_await job(ioc.get_executor(), redis);
            redis.stop();
        },
        asio::detached);
    ioc.run();
    return code;
}

} // namespace daiban::bot::cli
