// bot layer, http: routing table (see router.hpp).
#include "bot/http/router.hpp"

#include <nlohmann/json.hpp>

namespace daiban::bot::http {

namespace {
std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        const auto j = path.find('/', i);
        const auto end = j == std::string_view::npos ? path.size() : j;
        out.push_back(path.substr(i, end - i));
        i = end;
    }
    return out;
}
} // namespace

response
json_error(int status, std::string_view code, std::string_view detail, std::string_view field) {
    nlohmann::json j{{"error", code}, {"detail", detail}};
    if (!field.empty()) j["field"] = field;
    response r;
    r.status = status;
    // Replace invalid UTF-8 instead of throwing: details may quote what a sender sent.
    r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    r.log_note = std::string(code);
    return r;
}

void router::add(std::string method, std::string pattern, route_handler handler) {
    entry e{std::move(method), pattern, {}, std::move(handler)};
    for (auto s : split_path(pattern))
        e.segments.emplace_back(s);
    entries_.push_back(std::move(e));
}

router::match_result router::match(std::string_view method, std::string_view path) const {
    const auto parts = split_path(path);
    match_result result;
    result.status = 404;
    for (const auto& e : entries_) {
        if (e.segments.size() != parts.size()) continue;
        route_params params;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) {
            const auto& seg = e.segments[i];
            if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
                if (parts[i].empty())
                    ok = false;
                else
                    params.emplace(seg.substr(1, seg.size() - 2), std::string(parts[i]));
            } else if (seg != parts[i]) {
                ok = false;
            }
        }
        if (!ok) continue;
        if (e.method == method || (method == "HEAD" && e.method == "GET")) {
            result.handler = &e.handler;
            result.params = std::move(params);
            result.route = e.pattern;
            result.status = 200;
            return result;
        }
        result.status = 405;
        result.route = e.pattern;
        if (result.allow.find(e.method) == std::string::npos)
            result.allow += (result.allow.empty() ? "" : ", ") + e.method;
    }
    return result;
}

} // namespace daiban::bot::http
