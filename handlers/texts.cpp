// handlers layer: the reply text table (see texts.hpp).
#include "handlers/texts.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace daiban::handlers {

namespace texts_data {
extern const std::string_view zh_Hans;
}

const texts& texts::zh_hans() {
    static const texts instance = [] {
        texts t;
        auto j = nlohmann::json::parse(texts_data::zh_Hans, nullptr, false);
        if (!j.is_object())
            throw std::runtime_error("handlers/texts/zh-Hans.json is not a JSON object");
        for (auto& [k, v] : j.items()) {
            if (!v.is_string())
                throw std::runtime_error("handlers/texts/zh-Hans.json: " + k + " must be a string");
            t.table_.emplace(k, v.get<std::string>());
        }
        return t;
    }();
    return instance;
}

const std::string& texts::get(std::string_view key) const {
    if (auto it = table_.find(key); it != table_.end()) return it->second;
    static thread_local std::string missing;
    missing = "[" + std::string(key) + "]";
    return missing;
}

std::string
texts::format(std::string_view key,
              const std::vector<std::pair<std::string_view, std::string>>& values) const {
    std::string out = get(key);
    for (const auto& [name, value] : values) {
        const std::string placeholder = "{" + std::string(name) + "}";
        for (auto pos = out.find(placeholder); pos != std::string::npos;
             pos = out.find(placeholder, pos + value.size()))
            out.replace(pos, placeholder.size(), value);
    }
    return out;
}

} // namespace daiban::handlers
