// state layer, Redis: one RESP2 reply as an owning value (copied out of hiredis' reader, so it
// outlives the read buffer and can cross threads).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::state::redis {

// A number stored as a hash field or string value; 0 when absent or malformed (fields the
// stores write themselves, so a bad one is a bug, not input to report).
inline std::int64_t to_int(std::string_view s) {
    std::int64_t v = 0;
    std::from_chars(s.data(), s.data() + s.size(), v);
    return v;
}

struct value {
    enum class kind { nil, integer, string, status, error, array };
    kind type = kind::nil;
    std::int64_t integer = 0;
    std::string str; // string, status or error text
    std::vector<value> elements;

    bool is_nil() const { return type == kind::nil; }
    bool is_error() const { return type == kind::error; }
    bool is_array() const { return type == kind::array; }
    // A string, status or integer reply as text; nullopt for nil, arrays and errors.
    std::optional<std::string> as_string() const {
        if (type == kind::string || type == kind::status) return str;
        if (type == kind::integer) return std::to_string(integer);
        return std::nullopt;
    }
    std::optional<std::int64_t> as_integer() const {
        if (type == kind::integer) return integer;
        return std::nullopt;
    }
};

} // namespace daiban::state::redis
