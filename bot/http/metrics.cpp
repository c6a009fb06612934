// bot layer, http: Prometheus metrics (see metrics.hpp).
#include "bot/http/metrics.hpp"

#include <cstdio>

namespace daiban::bot::http {

void metrics::record_request(std::string_view route, int status, double seconds) {
    std::lock_guard lock(mutex_);
    auto key = std::make_pair(std::string(route), status);
    ++requests_[key];
    auto it = latency_.find(route);
    if (it == latency_.end()) it = latency_.emplace(std::string(route), histogram{}).first;
    auto& h = it->second;
    for (std::size_t i = 0; i < buckets.size(); ++i)
        if (seconds <= buckets[i]) ++h.counts[i];
    ++h.total;
    h.sum += seconds;
}

void metrics::count(std::string_view name, std::string_view labels, std::uint64_t n) {
    std::lock_guard lock(mutex_);
    counters_[{std::string(name), std::string(labels)}] += n;
}

void metrics::add_collector(std::function<void(std::string&)> collector) {
    std::lock_guard lock(mutex_);
    collectors_.push_back(std::move(collector));
}

std::string metrics::render() const {
    std::string out;
    char num[64];
    std::lock_guard lock(mutex_);
    out += "# HELP daiban_http_requests_total HTTP requests by route and status.\n"
           "# TYPE daiban_http_requests_total counter\n";
    for (const auto& [key, n] : requests_)
        out += "daiban_http_requests_total{route=\"" + key.first + "\",status=\"" +
               std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
    out += "# HELP daiban_http_request_seconds Time from request read to response ready.\n"
           "# TYPE daiban_http_request_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
        for (std::size_t i = 0; i < buckets.size(); ++i) {
            std::snprintf(num, sizeof num, "%g", buckets[i]);
            out += "daiban_http_request_seconds_bucket{route=\"" + route + "\",le=\"" + num +
                   "\"} " + std::to_string(h.counts[i]) + "\n";
        }
        out += "daiban_http_request_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " +
               std::to_string(h.total) + "\n";
        std::snprintf(num, sizeof num, "%.6f", h.sum);
        out += "daiban_http_request_seconds_sum{route=\"" + route + "\"} " + num + "\n";
        out += "daiban_http_request_seconds_count{route=\"" + route + "\"} " +
               std::to_string(h.total) + "\n";
    }
    std::string last;
    for (const auto& [key, n] : counters_) {
        if (key.first != last) out += "# TYPE " + key.first + " counter\n";
        last = key.first;
        out += key.first + (key.second.empty() ? "" : "{" + key.second + "}") + " " +
               std::to_string(n) + "\n";
    }
    for (const auto& c : collectors_)
        c(out);
    return out;
}

} // namespace daiban::bot::http
