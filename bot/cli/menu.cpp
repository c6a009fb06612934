// bot layer, cli: `daiban menu push --tenant T [--config FILE] [--file menu.json] [--dry-run]` —
// validates the tenant's custom menu against WeChat's limits (3 top-level buttons, 5 sub-buttons,
// name 16/60 bytes, key 128 bytes, url 1024 bytes) with one clear line per problem, then POSTs
// it to /cgi-bin/menu/create with the tenant's access token (the shared Redis token cache).
// Also `daiban media get --tenant T --media-id ID [--out FILE] [--max-bytes N]`: downloads a
// temporary medium (what the materials feature will do with residents' photos), for operators.
#include "bot/outbound/menu.hpp"

#include "bot/cli/commands.hpp"
#include "bot/cli/deployment.hpp"
#include "bot/config.hpp"
#include "bot/outbound/access_token.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/outbound/media.hpp"
#include "model/intents.hpp"
#include "state/redis/connection.hpp"

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <sstream>

namespace daiban::bot::cli {

namespace asio = boost::asio;
using nlohmann::json;

namespace {

using account_job = std::function<asio::awaitable<int>(outbound::access_tokens&,
                                                       const outbound::platform_account&)>;

// What both commands need: the tenant's WeChat account with the shared Redis token cache. Runs
// `job` once Redis answers (after at most 2 s; token calls then fail with a clear error) and
// returns the exit code it gives.
int with_wechat_account(const config& cfg,
                        const tenant_config& t,
                        const std::string& client,
                        const account_job& job) {
    return with_redis(
        cfg.redis,
        [&](asio::any_io_executor ex, state::redis::connection& redis) -> asio::awaitable<int> {
            outbound::http_client http(ex);
            outbound::access_tokens tokens(redis, http, client);
            const auto acc = *outbound::account_of(t, "wechat");
            co_return co_await job(tokens, acc);
        });
}

} // namespace

int run_menu(int argc, char** argv) {
    std::string sub = argc > 1 ? argv[1] : "";
    std::string tenant, file, config_file = "deploy/daiban.json";
    bool dry_run = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--tenant")
            tenant = next();
        else if (a == "--config")
            config_file = next();
        else if (a == "--file")
            file = next();
        else if (a == "--dry-run")
            dry_run = true;
        else {
            std::cerr << "menu: unknown option " << a << "\n";
            return 2;
        }
    }
    if (sub != "push" || tenant.empty()) {
        std::cerr << "usage: daiban menu push --tenant T [--config FILE] [--file menu.json] "
                     "[--dry-run]\n";
        return 2;
    }
    auto cfg = load_config_or_report(config_file);
    if (!cfg) return 1;
    const tenant_config* t = cfg->find_tenant(tenant);
    if (!t) {
        std::cerr << config_file << ": no tenant '" << tenant << "'\n";
        return 1;
    }
    if (file.empty())
        file = (t->data_dir.empty() ? "deploy/tenants/" + tenant : t->data_dir) + "/menu.json";
    const auto menu_problems = outbound::validate_menu_file(file, model::menu_keys());
    for (const auto& p : menu_problems)
        std::cerr << file << ": " << p << "\n";
    if (!menu_problems.empty()) return 1;
    std::ifstream in(file, std::ios::binary);
    const auto menu = json::parse(in, nullptr, false); // read and checked just above
    if (dry_run) {
        std::cout << R"({"valid":true})"
                  << "\n";
        return 0;
    }
    if (!t->wechat || t->wechat->secret.empty()) {
        std::cerr << config_file << ": tenant '" << tenant
                  << "' needs wechat.appid and wechat.secret to push a menu\n";
        return 1;
    }

    const std::string body = menu.dump(-1, ' ', false, json::error_handler_t::replace);
    return with_wechat_account(
        *cfg, *t, "cli-menu",
        [&](outbound::access_tokens& tokens,
            const outbound::platform_account& acc) -> asio::awaitable<int> {
            auto r = co_await tokens.call(acc, "POST", "/cgi-bin/menu/create", body);
            if (!r) {
                std::cerr << "menu/create failed: " << r.error().message() << "\n";
                co_return 1;
            }
            if (r->errcode != 0) {
                std::cerr << "menu/create refused: errcode " << r->errcode << " " << r->errmsg
                          << "\n";
                co_return 1;
            }
            std::cout << R"({"pushed":true,"tenant":")" << tenant << "\"}\n";
            co_return 0;
        });
}

} // namespace daiban::bot::cli

namespace daiban::bot::cli {

int run_media(int argc, char** argv) {
    std::string sub = argc > 1 ? argv[1] : "";
    std::string tenant, media_id, out_file, config_file = "deploy/daiban.json";
    std::size_t max_bytes = 10 * 1024 * 1024;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--tenant")
            tenant = next();
        else if (a == "--config")
            config_file = next();
        else if (a == "--media-id")
            media_id = next();
        else if (a == "--out")
            out_file = next();
        else if (a == "--max-bytes")
            max_bytes = std::stoull(next());
        else {
            std::cerr << "media: unknown option " << a << "\n";
            return 2;
        }
    }
    if (sub != "get" || tenant.empty() || media_id.empty()) {
        std::cerr
            << "usage: daiban media get --tenant T --media-id ID [--config FILE] [--out FILE] "
               "[--max-bytes N]\n";
        return 2;
    }
    auto cfg = load_config_or_report(config_file);
    if (!cfg) return 1;
    const tenant_config* t = cfg->find_tenant(tenant);
    if (!t || !t->wechat) {
        std::cerr << config_file << ": no tenant '" << tenant << "' with a wechat section\n";
        return 1;
    }
    return with_wechat_account(
        *cfg, *t, "cli-media",
        [&](outbound::access_tokens& tokens,
            const outbound::platform_account& acc) -> asio::awaitable<int> {
            auto m = co_await outbound::download_media(tokens, acc, media_id, max_bytes);
            if (!m) {
                std::cerr << "media/get failed: " << m.error().message() << "\n";
                co_return 1;
            }
            if (!out_file.empty()) std::ofstream(out_file, std::ios::binary) << m->bytes;
            std::cout << json{{"bytes", m->bytes.size()},
                              {"content_type", m->content_type},
                              {"file_name", m->file_name}}
                             .dump()
                      << "\n";
            co_return 0;
        });
}

} // namespace daiban::bot::cli
