// bot layer: `daiban serve` wiring (see app.hpp).
#include "bot/app.hpp"

#include "bot/channels/crypto.hpp"
#include "bot/channels/json_hook.hpp"
#include "bot/channels/wechat_channel.hpp"
#include "bot/console/console.hpp"
#include "bot/dialogue/owner_lease.hpp"
#include "bot/dialogue/turn_dispatcher.hpp"
#include "bot/http/metrics.hpp"
#include "bot/http/router.hpp"
#include "bot/http/server.hpp"
#include "bot/log.hpp"
#include "bot/outbound/delivery.hpp"
#include "bot/outbound/log_sink.hpp"
#include "bot/outbound/outbox.hpp"
#include "bot/outbound/service_window.hpp"
#include "bot/replies/routing.hpp"
#include "bot/shards.hpp"
#include "bot/tenants.hpp"
#include "bot/timers/timer_worker.hpp"
#include "handlers/clock.hpp"
#include "handlers/deadlines.hpp"

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

namespace daiban::bot {

namespace asio = boost::asio;

namespace {

#ifdef DAIBAN_TEST_HOOKS
// Test builds only (CMake DAIBAN_TEST_HOOKS, the `dev` preset): the bot's time can be set at
// start-up (DAIBAN_TEST_NOW=<unix seconds>) and moved by POST /test/clock
// {"now_ms": N} | {"advance_ms": N}. Neither exists in a release build.
handlers::test_clock& the_clock() {
    static handlers::test_clock c;
    static const bool initialised = [] {
        if (const char* v = std::getenv("DAIBAN_TEST_NOW"); v && *v) c.set_ms(std::atoll(v) * 1000);
        return true;
    }();
    (void)initialised;
    return c;
}

void add_test_routes(http::router& routes) {
    routes.add(
        "POST", "/test/clock",
        [](http::request& req, const http::route_params&) -> asio::awaitable<http::response> {
            auto j = nlohmann::json::parse(req.body, nullptr, false);
            if (j.is_object() && j.contains("now_ms") && j["now_ms"].is_number_integer())
                the_clock().set_ms(j["now_ms"].get<std::int64_t>());
            else if (j.is_object() && j.contains("advance_ms") &&
                     j["advance_ms"].is_number_integer())
                the_clock().advance_ms(j["advance_ms"].get<std::int64_t>());
            else
                co_return http::json_error(400, "bad_request",
                                           "send {\"now_ms\": N} or {\"advance_ms\": N}");
            http::response r;
            r.body = nlohmann::json{{"now_ms", the_clock().now_ms()}}.dump();
            co_return r;
        });
}
#else
const handlers::clock& the_clock() {
    static const handlers::system_clock c;
    return c;
}
#endif

bool split_listen(const std::string& listen, asio::ip::tcp::endpoint& ep, std::string& error) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        error = "listen must be HOST:PORT, e.g. 127.0.0.1:8080";
        return false;
    }
    std::string host = listen.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(host.empty() ? "0.0.0.0" : host, ec);
    if (ec) {
        error = "listen host '" + host + "' is not an IP address";
        return false;
    }
    const int port = std::atoi(listen.c_str() + colon + 1);
    if (port < 0 || port > 65535) {
        error = "listen port must be 0-65535";
        return false;
    }
    ep = {addr, static_cast<unsigned short>(port)};
    return true;
}

void add_health_routes(http::router& routes, shard_set& shards, const http::metrics& m) {
    routes.add("GET", "/healthz",
               [](http::request&, const http::route_params&) -> asio::awaitable<http::response> {
                   http::response r;
                   r.body = R"({"status":"ok"})";
                   co_return r;
               });
    routes.add(
        "GET", "/readyz",
        [&shards](http::request&, const http::route_params&) -> asio::awaitable<http::response> {
            if (!shards.redis_ready())
                co_return http::json_error(503, "redis_unavailable",
                                           "Redis is not reachable; the bot keeps retrying");
            http::response r;
            r.body = R"({"status":"ready"})";
            co_return r;
        });
    routes.add("GET", "/metrics",
               [&m](http::request&, const http::route_params&) -> asio::awaitable<http::response> {
                   http::response r;
                   r.content_type = "text/plain; version=0.0.4";
                   r.body = m.render();
                   co_return r;
               });
}

} // namespace

int run_server(const config& cfg) {
    log::level lvl = log::level::info;
    if (!log::parse_level(cfg.log_level, lvl))
        log::warn("event=config_warning detail=\"unknown log level, using info\"");
    log::set_level(lvl);

    tenant_registry tenants;
    std::vector<model::data_problem> problems;
    if (!tenants.load(cfg, problems)) {
        for (const auto& p : problems)
            log::error("event=tenant_data_problem file=" + p.file + " path=" + p.path +
                       " problem=\"" + p.message + "\"");
        return 1;
    }

    state::redis::config redis_cfg;
    redis_cfg.address = cfg.redis;
    redis_cfg.wait_replicas = cfg.redis_wait_replicas;
    redis_cfg.wait_timeout = std::chrono::milliseconds(cfg.redis_wait_timeout_ms);
    std::string addr_error;
    const auto redis_addr = state::redis::parse_address(cfg.redis, addr_error);
    if (!redis_addr) {
        log::error("event=config_problem field=redis problem=\"" + addr_error + "\"");
        return 1;
    }
    asio::ip::tcp::endpoint listen_ep;
    std::string listen_error;
    if (!split_listen(cfg.listen, listen_ep, listen_error)) {
        log::error("event=config_problem field=listen problem=\"" + listen_error + "\"");
        return 1;
    }

    const std::size_t threads =
        cfg.threads > 0
            ? static_cast<std::size_t>(cfg.threads)
            : default_shards(std::thread::hardware_concurrency(), redis_on_this_host(*redis_addr));
    shard_set shards(threads, redis_cfg);
    const handlers::clock& clock = the_clock();
    auto unix_now = [&clock] { return clock.now(); };
    // Every turn claim names this process; its lease tells a resend whether the claim's turn can
    // still finish (dialogue/owner_lease.hpp).
    std::vector<std::string> lease_tenants;
    for (const auto& t : cfg.tenants)
        lease_tenants.push_back(t.id);
    dialogue::owner_lease lease(shards.at(0).redis, shards.at(0).ioc.get_executor(),
                                std::move(lease_tenants), dialogue::make_owner_token());
    dialogue::turn_dispatcher dispatcher(shards, tenants, clock, cfg.data_dir, lease.token(),
                                         redis_cfg, cfg.console.public_url);

    // The outbox: every push leaves through it (DESIGN §2). `box` is the app's
    // replies::push_sink& — hand it to whatever produces pushes outside a request (timers).
    outbound::outbox box(shards, cfg, tenants);

    http::metrics metrics;
    metrics.add_collector([&box](std::string& out) { box.render_metrics(out); });
    metrics.add_collector([&shards](std::string& out) {
        std::uint64_t errors = 0, reconnects = 0, commands = 0, up = 0;
        for (std::size_t i = 0; i < shards.size(); ++i) {
            const auto& s = shards.at(i).redis.stats();
            errors += s.errors.load();
            reconnects += s.reconnects.load();
            commands += s.commands.load();
            up += s.connected.load() ? 1 : 0;
        }
        out += "# TYPE daiban_redis_commands_total counter\ndaiban_redis_commands_total " +
               std::to_string(commands) + "\n";
        out += "# TYPE daiban_redis_errors_total counter\ndaiban_redis_errors_total " +
               std::to_string(errors) + "\n";
        out += "# TYPE daiban_redis_reconnects_total counter\ndaiban_redis_reconnects_total " +
               std::to_string(reconnects) + "\n";
        out += "# TYPE daiban_redis_connections_up gauge\ndaiban_redis_connections_up " +
               std::to_string(up) + "\n";
    });

    http::router routes;
    add_health_routes(routes, shards, metrics);
#ifdef DAIBAN_TEST_HOOKS
    add_test_routes(routes);
    log::warn("event=test_hooks detail=\"built with DAIBAN_TEST_HOOKS: POST /test/clock moves "
              "the bot's time; never run this build in production\"");
#endif
    // Replies a turn's response cannot carry leave through the outbox: on WeChat/WeCom those that
    // missed the reply budget or are meant for another chat; on both those and the hook's, those a
    // handler sent on another channel (model::reply::channel). replies::to_pushes routes and keys
    // them.
    replies::queue_replies_fn push_elsewhere =
        [&box, &cfg](const std::string& tenant, const std::string& channel,
                     const std::string& message_id,
                     std::vector<model::reply> out) -> asio::awaitable<bool> {
        co_return bool(co_await box.enqueue(replies::to_pushes(
            cfg.find_tenant(tenant), tenant, channel, message_id, std::move(out))));
    };
    channels::add_hook_routes(routes, tenants, dispatcher, unix_now, push_elsewhere);
    channels::wechat_channel_options wechat_opts;
    wechat_opts.push_late = push_elsewhere;
    wechat_opts.now = unix_now;
    // Events outside a request (a late turn that failed, replies not queued) reach the log.
    wechat_opts.log = [](std::string_view line) {
        log::warn("event=wechat_background detail=\"" + std::string(line) + "\"");
    };
    try {
        channels::add_wechat_routes(routes, cfg, dispatcher, wechat_opts);
    } catch (const std::invalid_argument& e) {
        log::error(std::string("event=config_problem detail=\"") + e.what() + "\"");
        return 1;
    }

    // The staff console: pages and API on this listener, on the same stores (bot/console).
    const auto console_service = console::add_console_routes(
        routes, console::environment{cfg, tenants, shards, dispatcher, unix_now, push_elsewhere});

    std::vector<asio::io_context*> contexts;
    for (std::size_t i = 0; i < shards.size(); ++i)
        contexts.push_back(&shards.at(i).ioc);
    http::server server(cfg.http, routes, metrics, contexts);
    server.set_route_body_limit("/hook/{tenant}",
                                std::max(cfg.http.hook_body_limit, cfg.http.body_limit));
    metrics.add_collector([&server](std::string& out) {
        out += "# TYPE daiban_http_connections gauge\ndaiban_http_connections " +
               std::to_string(server.connections()) + "\n";
    });

    unsigned short port = 0;
    try {
        port = server.listen(listen_ep);
    } catch (const std::system_error& e) {
        log::error(std::string("event=listen_failed detail=\"") + e.what() + "\"");
        return 1;
    }
    shards.start();
    lease.start();
    box.start();
    // Durable timers fire through the dialogue path; their messages go to the outbox, each also
    // written to the log (masked) as an audit line.
    outbound::log_sink pushes(&box);
    std::vector<std::string> tenant_ids;
    for (const auto& t : cfg.tenants)
        tenant_ids.push_back(t.id);
    timers::timer_worker_options timer_opts;
    timer_opts.seeds.push_back(&handlers::ensure_deadline_patrol); // 限时办结: the daily patrol
    // Group messages take the group's channel, replies a handler addressed to a channel take that
    // one (route_channel); outside WeChat's 48 h window a reminder goes to the resident's agent
    // instead.
    timer_opts.shape_pushes = [&tenants, &cfg](state::redis::connection& redis,
                                               std::vector<replies::push> p, std::int64_t now) {
        for (auto& one : p)
            if (const tenant_config* t = cfg.find_tenant(one.tenant))
                one.channel = replies::route_channel(*t, one.reply, one.channel);
        return outbound::apply_service_window(redis, tenants, std::move(p), now);
    };
    timers::timer_worker timer_worker(shards, tenant_ids, dispatcher, pushes, clock, timer_opts);
    timer_worker.start();
    server.start();
    log::info("event=started listen=" + listen_ep.address().to_string() + ":" +
              std::to_string(port) + " shards=" + std::to_string(threads) +
              " tenants=" + std::to_string(cfg.tenants.size()) + " redis=" + cfg.redis);

    // The main thread only waits for signals.
    asio::io_context main_ioc{1};
    asio::signal_set stop_signals(main_ioc, SIGTERM, SIGINT);
    asio::signal_set reload_signal(main_ioc, SIGHUP);
    std::function<void()> wait_reload = [&] {
        reload_signal.async_wait([&](boost::system::error_code ec, int) {
            if (ec) return;
            std::vector<model::data_problem> reload_problems;
            if (tenants.load(cfg, reload_problems)) {
                log::info("event=reloaded tenants=" + std::to_string(cfg.tenants.size()));
            } else {
                for (const auto& p : reload_problems)
                    log::error("event=reload_problem file=" + p.file + " path=" + p.path +
                               " problem=\"" + p.message + "\"");
                log::error("event=reload_failed detail=\"kept the data loaded before\"");
            }
            wait_reload();
        });
    };
    wait_reload();
    int signal_number = 0;
    stop_signals.async_wait([&](boost::system::error_code, int sig) {
        signal_number = sig;
        reload_signal.cancel();
    });
    main_ioc.run();

    log::info("event=draining signal=" + std::to_string(signal_number) +
              " in_flight=" + std::to_string(server.requests_in_flight()));
    server.drain();
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg.shutdown_grace_ms);
    while ((server.connections() > 0 || server.requests_in_flight() > 0) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const auto left = server.requests_in_flight();
    timer_worker.stop();
    lease.stop();
    // Workers stop before the shards: a delivery cut short stays pending in Redis and is taken
    // over after the restart (XAUTOCLAIM), never lost.
    box.stop(std::chrono::milliseconds(std::min(cfg.shutdown_grace_ms, 3000)));
    shards.stop();
    log::info("event=stopped unfinished_requests=" + std::to_string(left));
    return 0;
}

} // namespace daiban::bot
