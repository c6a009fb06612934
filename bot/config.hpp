// bot layer: the configuration (DESIGN §3 "Configuration"). JSON file plus environment overrides
// (DAIBAN_LISTEN, DAIBAN_REDIS, DAIBAN_THREADS, DAIBAN_DATA_DIR, DAIBAN_LOG); secrets written as
// "env:NAME" are read from the environment. Loading validates everything and reports every
// problem with the file, the JSON path and the fix.
#pragma once

#include "model/tenant_data.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace daiban::bot {

struct hook_config {
    std::string secret;       // HMAC-SHA256 key for X-Daiban-Signature
    std::string callback_url; // where later pushes are POSTed (signed the same way); may be empty
    int max_age_s = 300;      // replay window for the body's "time"
};

struct wechat_config {
    std::string token;   // signature token typed into the OA console
    std::string appid;   // wx...; checked after decryption
    std::string aes_key; // 43-char EncodingAESKey; empty = plain mode only
    std::string secret;  // AppSecret for access_token
    std::string api_base = "https://api.weixin.qq.com";
    int reply_budget_ms = 4000; // past this the passive reply is "success" and replies are pushed
    int max_clock_skew_s = 300; // timestamp window for signed requests
    std::string template_id;    // template for pushes outside the 48 h window (optional)
    std::string template_field = "thing1"; // the template's keyword that carries the text
};

struct wecom_config {
    std::string token;
    std::string corp_id;
    std::string aes_key;
    std::string agent_id;
    std::string secret;
    std::string api_base = "https://qyapi.weixin.qq.com";
    int reply_budget_ms = 4000; // WeCom has the same 5 s rule as the official account
    // Group chats the bot speaks in through a group-bot webhook: group id -> webhook key.
    std::map<std::string, std::string> group_webhooks;
};

// The outbox (DESIGN §2): retries, dead-lettering, takeover of a crashed worker's entries.
struct outbox_config {
    int max_attempts = 8;         // failures before an entry goes to the dead-letter stream
    int backoff_base_ms = 1000;   // first retry after this; doubles each time (with jitter)
    int backoff_max_ms = 300'000; // the longest pause between two attempts
    int claim_idle_ms = 60'000;   // an entry pending this long with another consumer is taken over
    int block_ms = 1000;          // XREADGROUP BLOCK; also how often retries are promoted
    int http_timeout_ms = 10'000; // per outbound request
};

struct tenant_config {
    std::string id;
    std::string name;
    std::string data_dir; // deploy/tenants/<id>
    std::optional<hook_config> hook;
    std::optional<wechat_config> wechat;
    std::optional<wecom_config> wecom;
};

struct http_limits {
    std::size_t body_limit = 1024 * 1024; // bytes
    std::size_t header_limit = 8 * 1024;  // bytes
    int read_timeout_ms = 10'000;         // for a whole request (header and body) from its
                                          // first byte
    int idle_timeout_ms = 60'000;         // keep-alive connection with no request
    int write_timeout_ms = 10'000;
    // The JSON hook may carry a photo inline (base64, at most 2 MiB decoded), so its route
    // accepts larger bodies than the rest.
    std::size_t hook_body_limit = 3 * 1024 * 1024;
    int max_connections = 10'000;
    // Connections one client address may hold at once (beyond it: 503): one address cannot take
    // every slot. 0 = no cap. Addresses in `trusted_proxies` are exempt (a reverse proxy in front
    // carries everyone's connections); none are trusted by default.
    int max_connections_per_address = 256;
    std::vector<std::string> trusted_proxies; // IP addresses, as written ("10.0.0.5", "::1")
};

// The staff console (bot/console/): web pages and a JSON API on the same listener.
struct console_config {
    // How staff reach this server from their browsers: the base of the one-time sign-in links
    // the bot sends (后台). Empty = no links are sent (the bot says the console is not set up);
    // passwords still work.
    std::string public_url;
    std::string dir = "console"; // the pages (index.html, app.js, style.css)
    // Third-party browser libraries installed by deploy/setup.sh (Debian's libjs-chart.js).
    std::string vendor_dir = "/usr/share/javascript";
    int session_idle_minutes = 30;
    // Add `Secure` to the session cookie: set it when browsers reach the console over HTTPS.
    bool secure_cookie = false;
};

struct config {
    std::string file; // where it was read from, for messages
    std::string listen = "127.0.0.1:8080";
    std::string redis = "redis://127.0.0.1:6379/0";
    // HA deployments: a turn is answered only once this many replicas have it (Redis WAIT).
    int redis_wait_replicas = 0;
    int redis_wait_timeout_ms = 500;
    int threads = 0; // 0 = one per core, less one when Redis is on this host (bot/shards.hpp)
    std::string data_dir = "var/data";
    std::string log_level = "info"; // debug | info | warn | error
    std::string holidays_dir = "deploy/holidays";
    int shutdown_grace_ms = 10'000;
    http_limits http;
    outbox_config outbox;
    console_config console;
    std::vector<tenant_config> tenants;

    const tenant_config* find_tenant(std::string_view id) const;
};

struct config_problem {
    std::string file;
    std::string path;
    std::string message;
};

// Reads `file`, applies environment overrides, resolves "env:NAME" secrets and relative paths
// (relative to the current directory, as run.sh starts the bot from the repository root).
// nullopt when anything is wrong; `problems` then lists every problem.
std::optional<config> load_config(const std::string& file, std::vector<config_problem>& problems);
// The same for a command-line tool: every problem is printed to stderr as "file: path: message".
std::optional<config> load_config_or_report(const std::string& file);

} // namespace daiban::bot
