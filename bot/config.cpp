// bot layer: configuration loading and validation (see config.hpp).
#include "bot/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace daiban::bot {

using nlohmann::json;

const tenant_config* config::find_tenant(std::string_view id) const {
    for (const auto& t : tenants)
        if (t.id == id) return &t;
    return nullptr;
}

namespace {

struct reader {
    std::string file;
    std::vector<config_problem>& problems;

    void problem(const std::string& path, const std::string& message) {
        problems.push_back({file, path, message});
    }

    // Reads an optional string; "env:NAME" is replaced by the environment variable NAME.
    void str(const json& obj,
             const std::string& base,
             const char* key,
             std::string& out,
             bool required = false) {
        const std::string path = base.empty() ? key : base + "." + key;
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) problem(path, "is required");
            return;
        }
        if (!it->is_string()) return problem(path, "must be a string");
        std::string v = it->get<std::string>();
        if (v.starts_with("env:")) {
            const std::string name = v.substr(4);
            const char* env = std::getenv(name.c_str());
            if (!env || !*env)
                return problem(path,
                               "refers to environment variable " + name + ", which is not set");
            v = env;
        }
        out = std::move(v);
    }

    template <class Int>
    void num(const json& obj,
             const std::string& base,
             const char* key,
             Int& out,
             long long lo,
             long long hi) {
        const std::string path = base.empty() ? key : base + "." + key;
        auto it = obj.find(key);
        if (it == obj.end()) return;
        if (!it->is_number_integer()) return problem(path, "must be an integer");
        const auto v = it->get<long long>();
        if (v < lo || v > hi)
            return problem(path,
                           "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
        out = static_cast<Int>(v);
    }

    const json* object(const json& obj, const std::string& path, const char* key) {
        auto it = obj.find(key);
        if (it == obj.end()) return nullptr;
        if (!it->is_object()) {
            problem(path.empty() ? key : path + "." + key, "must be an object");
            return nullptr;
        }
        return &*it;
    }
};

void apply_env(config& c, std::vector<config_problem>& problems) {
    auto env = [](const char* name) -> const char* {
        const char* v = std::getenv(name);
        return v && *v ? v : nullptr;
    };
    if (auto v = env("DAIBAN_LISTEN")) c.listen = v;
    if (auto v = env("DAIBAN_REDIS")) c.redis = v;
    if (auto v = env("DAIBAN_DATA_DIR")) c.data_dir = v;
    if (auto v = env("DAIBAN_LOG")) c.log_level = v;
    if (auto v = env("DAIBAN_THREADS")) {
        char* end = nullptr;
        const long n = std::strtol(v, &end, 10);
        if (*end || n < 0 || n > 256)
            problems.push_back({"environment", "DAIBAN_THREADS", "must be a number from 0 to 256"});
        else
            c.threads = static_cast<int>(n);
    }
}

} // namespace

std::optional<config> load_config(const std::string& file, std::vector<config_problem>& problems) {
    const auto before = problems.size();
    config c;
    c.file = file;
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        problems.push_back({file, "", "cannot be read (does it exist?); pass --config FILE"});
        return std::nullopt;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    json j;
    try {
        j = json::parse(buf.str());
    } catch (const json::parse_error& e) {
        problems.push_back({file, "", std::string("is not valid JSON: ") + e.what()});
        return std::nullopt;
    }
    if (!j.is_object()) {
        problems.push_back({file, "", "must be a JSON object"});
        return std::nullopt;
    }
    reader r{file, problems};
    r.str(j, "", "listen", c.listen);
    // "redis": an address, or {"address": ..., "wait_replicas": N, "wait_timeout_ms": T}.
    if (auto it = j.find("redis"); it != j.end() && it->is_object()) {
        r.str(*it, "redis", "address", c.redis);
        r.num(*it, "redis", "wait_replicas", c.redis_wait_replicas, 0, 16);
        r.num(*it, "redis", "wait_timeout_ms", c.redis_wait_timeout_ms, 1, 60'000);
    } else {
        r.str(j, "", "redis", c.redis);
    }
    r.num(j, "", "threads", c.threads, 0, 256);
    r.str(j, "", "data_dir", c.data_dir);
    r.str(j, "", "log", c.log_level);
    r.str(j, "", "holidays_dir", c.holidays_dir);
    r.num(j, "", "shutdown_grace_ms", c.shutdown_grace_ms, 0, 600'000);
    if (const json* h = r.object(j, "", "http")) {
        r.num(*h, "http", "body_limit", c.http.body_limit, 1024, 64LL << 20);
        r.num(*h, "http", "hook_body_limit", c.http.hook_body_limit, 1024, 64LL << 20);
        r.num(*h, "http", "header_limit", c.http.header_limit, 1024, 1LL << 20);
        r.num(*h, "http", "read_timeout_ms", c.http.read_timeout_ms, 100, 600'000);
        r.num(*h, "http", "idle_timeout_ms", c.http.idle_timeout_ms, 100, 3'600'000);
        r.num(*h, "http", "write_timeout_ms", c.http.write_timeout_ms, 100, 600'000);
        r.num(*h, "http", "max_connections", c.http.max_connections, 1, 1'000'000);
        r.num(*h, "http", "max_connections_per_address", c.http.max_connections_per_address, 0,
              1'000'000);
        if (auto it = h->find("trusted_proxies"); it != h->end()) {
            if (!it->is_array())
                r.problem("http.trusted_proxies",
                          "must be a list of IP addresses, e.g. [\"10.0.0.5\"]");
            else
                for (std::size_t i = 0; i < it->size(); ++i) {
                    const auto& a = (*it)[i];
                    boost::system::error_code ec;
                    if (a.is_string()) boost::asio::ip::make_address(a.get<std::string>(), ec);
                    if (!a.is_string() || ec)
                        r.problem("http.trusted_proxies[" + std::to_string(i) + "]",
                                  "must be an IP address such as \"10.0.0.5\" (no names, no "
                                  "ranges)");
                    else
                        c.http.trusted_proxies.push_back(
                            boost::asio::ip::make_address(a.get<std::string>()).to_string());
                }
        }
    }
    if (const json* o = r.object(j, "", "outbox")) {
        r.num(*o, "outbox", "max_attempts", c.outbox.max_attempts, 1, 100);
        r.num(*o, "outbox", "backoff_base_ms", c.outbox.backoff_base_ms, 10, 3'600'000);
        r.num(*o, "outbox", "backoff_max_ms", c.outbox.backoff_max_ms, 10, 86'400'000);
        r.num(*o, "outbox", "claim_idle_ms", c.outbox.claim_idle_ms, 100, 86'400'000);
        r.num(*o, "outbox", "block_ms", c.outbox.block_ms, 10, 60'000);
        r.num(*o, "outbox", "http_timeout_ms", c.outbox.http_timeout_ms, 100, 600'000);
    }
    if (const json* o = r.object(j, "", "console")) {
        r.str(*o, "console", "public_url", c.console.public_url);
        r.str(*o, "console", "dir", c.console.dir);
        r.str(*o, "console", "vendor_dir", c.console.vendor_dir);
        r.num(*o, "console", "session_idle_minutes", c.console.session_idle_minutes, 1, 24 * 60);
        if (auto it = o->find("secure_cookie"); it != o->end()) {
            if (it->is_boolean())
                c.console.secure_cookie = it->get<bool>();
            else
                r.problem("console.secure_cookie", "must be true or false");
        }
        auto& url = c.console.public_url;
        if (!url.empty() && !url.starts_with("http://") && !url.starts_with("https://"))
            r.problem(
                "console.public_url",
                "must start with http:// or https://, e.g. \"https://daiban.example.gov.cn\"");
        while (!url.empty() && url.back() == '/')
            url.pop_back();
    }
    apply_env(c, problems);

    auto tenants = j.find("tenants");
    if (tenants == j.end() || !tenants->is_array() || tenants->empty()) {
        r.problem("tenants", "must be a non-empty array of tenants");
    } else {
        for (std::size_t i = 0; i < tenants->size(); ++i) {
            const auto& t = (*tenants)[i];
            const std::string path = "tenants[" + std::to_string(i) + "]";
            if (!t.is_object()) {
                r.problem(path, "must be an object");
                continue;
            }
            tenant_config tc;
            r.str(t, path, "id", tc.id, true);
            r.str(t, path, "name", tc.name);
            r.str(t, path, "data", tc.data_dir);
            if (!tc.id.empty()) {
                const bool ok =
                    tc.id.size() <= 32 && std::all_of(tc.id.begin(), tc.id.end(), [](char ch) {
                        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
                               ch == '-';
                    });
                if (!ok) r.problem(path + ".id", "use 1-32 characters from a-z, 0-9, '_' and '-'");
                if (c.find_tenant(tc.id))
                    r.problem(path + ".id", "duplicate tenant id '" + tc.id + "'");
            }
            if (const json* h = r.object(t, path, "hook")) {
                hook_config hc;
                r.str(*h, path + ".hook", "secret", hc.secret, true);
                if (h->contains("secret") && hc.secret.size() < 16)
                    r.problem(path + ".hook.secret",
                              "must be at least 16 characters (it signs every request)");
                r.str(*h, path + ".hook", "callback_url", hc.callback_url);
                r.num(*h, path + ".hook", "max_age_s", hc.max_age_s, 1, 86400);
                tc.hook = hc;
            }
            if (const json* w = r.object(t, path, "wechat")) {
                wechat_config wc;
                const std::string p = path + ".wechat";
                r.str(*w, p, "token", wc.token, true);
                r.str(*w, p, "appid", wc.appid, true);
                r.str(*w, p, "aes_key", wc.aes_key);
                if (!wc.aes_key.empty() && wc.aes_key.size() != 43)
                    r.problem(p + ".aes_key",
                              "must be the 43-character EncodingAESKey from the console");
                r.str(*w, p, "secret", wc.secret);
                r.str(*w, p, "api_base", wc.api_base);
                r.str(*w, p, "template_id", wc.template_id);
                r.str(*w, p, "template_field", wc.template_field);
                r.num(*w, p, "reply_budget_ms", wc.reply_budget_ms, 100, 4900);
                r.num(*w, p, "max_clock_skew_s", wc.max_clock_skew_s, 1, 86400);
                tc.wechat = wc;
            }
            if (const json* w = r.object(t, path, "wecom")) {
                wecom_config wc;
                const std::string p = path + ".wecom";
                r.str(*w, p, "token", wc.token, true);
                r.str(*w, p, "corp_id", wc.corp_id, true);
                r.str(*w, p, "aes_key", wc.aes_key, true);
                if (w->contains("aes_key") && wc.aes_key.size() != 43)
                    r.problem(p + ".aes_key",
                              "must be the 43-character EncodingAESKey from the console");
                r.str(*w, p, "agent_id", wc.agent_id);
                r.str(*w, p, "secret", wc.secret);
                r.str(*w, p, "api_base", wc.api_base);
                r.num(*w, p, "reply_budget_ms", wc.reply_budget_ms, 100, 4900);
                if (const json* g = r.object(*w, p, "group_webhooks")) {
                    for (const auto& [group, key] : g->items()) {
                        if (!key.is_string() || key.get<std::string>().empty())
                            r.problem(p + ".group_webhooks." + group,
                                      "must be the webhook key (the key=... of the bot's URL)");
                        else
                            wc.group_webhooks[group] = key.get<std::string>();
                    }
                }
                tc.wecom = wc;
            }
            if (!tc.hook && !tc.wechat && !tc.wecom)
                r.problem(path, "has no channel: add \"hook\", \"wechat\" or \"wecom\"");
            c.tenants.push_back(std::move(tc));
        }
    }
    if (problems.size() > before) return std::nullopt;
    return c;
}

std::optional<config> load_config_or_report(const std::string& file) {
    std::vector<config_problem> problems;
    auto cfg = load_config(file, problems);
    for (const auto& p : problems)
        std::cerr << p.file << ": " << p.path << ": " << p.message << "\n";
    return cfg;
}

} // namespace daiban::bot
