// bot layer, cli: what the commands that work on a running deployment share (report, staff,
// menu): the tenant named on the command line with its data, every problem printed as
// "file: path: message"; and a connection to the deployment's Redis for one job.
#pragma once

#include "bot/config.hpp"
#include "model/tenant_data.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace daiban::bot::cli {

struct tenant_on_disk {
    const tenant_config* cfg = nullptr;
    std::shared_ptr<const model::tenant_data> data;
};

// `tenant_id` empty = the config's first tenant. nullopt (problems printed) when it is unknown
// or its data is broken.
std::optional<tenant_on_disk> load_tenant_or_report(const config& cfg,
                                                    const std::string& config_file,
                                                    const std::string& tenant_id);

// Runs `job` with a connection to `address` (waiting up to 2 s for it to come up, so a job's
// first command does not fail fast while it connects) and returns the job's exit code.
using redis_job = std::function<boost::asio::awaitable<int>(boost::asio::any_io_executor,
                                                            state::redis::connection&)>;
int with_redis(const std::string& address, const redis_job& job);

} // namespace daiban::bot::cli
