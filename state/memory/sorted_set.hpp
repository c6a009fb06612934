// state layer, in memory: a Redis sorted set (ZADD, ZREM, ZSCORE, ZRANGE, ZRANGEBYSCORE), for the
// in-memory stores' indexes. Members are strings and equal scores order by member bytes, as in
// Redis: "10" comes before "9", and callers see the same order from either store.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace daiban::state::memory {

class sorted_set {
public:
    struct entry {
        std::string member;
        // Redis keeps doubles; every score the stores write (day numbers, unix ms, minutes) is
        // an integer well below 2^53, so an integer holds it exactly.
        std::int64_t score = 0;
    };

    // ZADD: adds the member or moves it to the new score.
    void add(const std::string& member, std::int64_t score) {
        if (auto it = scores_.find(member); it != scores_.end()) {
            order_.erase({it->second, member});
            it->second = score;
        } else {
            scores_.emplace(member, score);
        }
        order_.emplace(score, member);
    }

    // ZREM: true if the member was there.
    bool remove(const std::string& member) {
        auto it = scores_.find(member);
        if (it == scores_.end()) return false;
        order_.erase({it->second, member});
        scores_.erase(it);
        return true;
    }

    // ZSCORE
    std::optional<std::int64_t> score(const std::string& member) const {
        auto it = scores_.find(member);
        if (it == scores_.end()) return std::nullopt;
        return it->second;
    }

    // ZRANGEBYSCORE -inf max LIMIT 0 count; a negative count means all, as in Redis.
    std::vector<entry> up_to(std::int64_t max, long count = -1) const {
        std::vector<entry> out;
        for (const auto& [s, m] : order_) {
            if (s > max || count == 0) break;
            out.push_back({m, s});
            if (count > 0) --count;
        }
        return out;
    }

    // ZRANGE 0 -1
    std::vector<entry> all() const { return up_to(INT64_MAX); }

private:
    std::map<std::string, std::int64_t> scores_;
    std::set<std::pair<std::int64_t, std::string>> order_;
};

} // namespace daiban::state::memory
