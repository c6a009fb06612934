// bot layer, http: the routing table. Patterns are literal segments and `{name}` parameters
// ("/hook/{tenant}"). An unknown path answers 404; a known path with the wrong method answers
// 405 with an Allow header (a table, not an if-chain: see cpp_style.md §9.4).
#pragma once

#include "bot/http/message.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace daiban::bot::http {

using route_params = std::map<std::string, std::string, std::less<>>;
using route_handler =
    std::function<boost::asio::awaitable<response>(request&, const route_params&)>;

class router {
public:
    void add(std::string method, std::string pattern, route_handler handler);

    struct match_result {
        const route_handler* handler = nullptr; // null: see `status`
        route_params params;
        std::string route; // the pattern that matched, for metrics ("/hook/{tenant}")
        int status = 200;  // 404 or 405 when no handler
        std::string allow; // for 405
    };
    match_result match(std::string_view method, std::string_view path) const;

private:
    struct entry {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        route_handler handler;
    };
    std::vector<entry> entries_;
};

} // namespace daiban::bot::http
