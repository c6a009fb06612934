// handlers layer: the reply text table (handlers/texts/zh-Hans.json, embedded at build time).
// Reply texts are data, not literals scattered through handlers (DESIGN §5).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::handlers {

class texts {
public:
    // The built-in Simplified Chinese table. Throws at start-up if the embedded JSON is broken.
    static const texts& zh_hans();

    // The text for `key`; a missing key is a programming error and yields "[key]" so it shows.
    const std::string& get(std::string_view key) const;
    // get(key) with each "{name}" replaced by its value.
    std::string format(std::string_view key,
                       const std::vector<std::pair<std::string_view, std::string>>& values) const;

private:
    std::map<std::string, std::string, std::less<>> table_;
};

} // namespace daiban::handlers
