// bot layer, http: the request and response that route handlers see. Beast stays inside
// bot/http/server.cpp; handlers of routes work on these plain structs, which keeps the heavy
// Beast templates in one translation unit and makes routes testable without sockets.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::bot::http {

struct request {
    std::string method;                                       // GET, POST, ...
    std::string target;                                       // path and query, as received
    std::vector<std::pair<std::string, std::string>> headers; // names lower-cased
    std::string body;
    std::string remote; // peer address, for logs

    std::string_view path() const {
        const auto q = target.find('?');
        return std::string_view(target).substr(0, q);
    }
    std::string_view query() const {
        const auto q = target.find('?');
        return q == std::string::npos ? std::string_view{} : std::string_view(target).substr(q + 1);
    }
    // The header's value, or empty if absent. `name` must be lower-case.
    std::string_view header(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (k == name) return v;
        return {};
    }
    bool has_header(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (k == name) return true;
        return false;
    }
};

struct response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // Filled in by routes for the request log line (DESIGN §5: one structured line per request).
    std::string log_note;
};

// DESIGN §3: errors are JSON {"error": code, "detail": human-readable[, "field": path]}.
response
json_error(int status, std::string_view code, std::string_view detail, std::string_view field = {});

} // namespace daiban::bot::http
