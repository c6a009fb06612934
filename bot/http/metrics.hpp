// bot layer, http: Prometheus metrics. Request counts by route and status, a latency histogram
// by route, and gauges filled in at scrape time (Redis state, connections). Recording takes a
// short mutex: at tens of thousands of requests a second it is far from the bottleneck.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::bot::http {

class metrics {
public:
    static constexpr std::array<double, 12> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                    0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

    void record_request(std::string_view route, int status, double seconds);
    void count(std::string_view name, std::string_view labels = {}, std::uint64_t n = 1);

    // A callback that appends more exposition lines at scrape time (e.g. Redis gauges).
    void add_collector(std::function<void(std::string&)> collector);

    std::string render() const;

private:
    struct histogram {
        std::array<std::uint64_t, buckets.size()> counts{};
        std::uint64_t total = 0;
        double sum = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, int>, std::uint64_t, std::less<>> requests_;
    std::map<std::string, histogram, std::less<>> latency_;
    std::map<std::pair<std::string, std::string>, std::uint64_t, std::less<>> counters_;
    std::vector<std::function<void(std::string&)>> collectors_;
};

} // namespace daiban::bot::http
