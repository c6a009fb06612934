// bot layer, console: the pages — GET /console/ (index.html), /console/{file} (the app's own
// files, from config console.dir) and /console/vendor/{library}/{file} (browser libraries
// installed by deploy/setup.sh from Debian, config console.vendor_dir). Names are single path
// segments of safe characters, so no request can climb out of those folders. The pages only
// talk to the API; the CSP lets them load nothing from elsewhere.
#include "bot/console/service.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace daiban::bot::console {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

bool safe_name(const std::string& s) {
    if (s.empty() || s.size() > 100 || s.front() == '.') return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_'))
            return false;
    return true;
}

std::string type_of(const std::string& name) {
    if (name.ends_with(".html")) return "text/html; charset=utf-8";
    if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
    if (name.ends_with(".css")) return "text/css; charset=utf-8";
    if (name.ends_with(".svg")) return "image/svg+xml";
    if (name.ends_with(".png")) return "image/png";
    if (name.ends_with(".ico")) return "image/x-icon";
    return "application/octet-stream";
}

http::response file(const fs::path& path, const std::string& name) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return http::json_error(404, "not_found",
                                "no console file " + name + " (config console.dir / vendor_dir)");
    std::stringstream bytes;
    bytes << in.rdbuf();
    http::response r;
    r.content_type = type_of(name);
    r.body = bytes.str();
    r.headers.emplace_back("Cache-Control", "no-cache");
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; "
                           "script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    return r;
}

} // namespace

void add_page_routes(http::router& r, service& s) {
    const auto dir = [&s] { return fs::path(s.env().cfg.console.dir); };
    // "/console" and "/console/" are one route (the router ignores empty segments): the page's
    // relative links need the slash.
    add(r, "GET", "/console/",
        [dir](http::request& req, const http::route_params&) -> asio::awaitable<http::response> {
            if (!req.path().ends_with("/")) {
                http::response res;
                res.status = 301;
                res.content_type = "text/plain; charset=utf-8";
                res.headers.emplace_back("Location", "/console/");
                co_return res;
            }
            co_return file(dir() / "index.html", "index.html");
        });
    add(r, "GET", "/console/{file}",
        [dir](http::request&, const http::route_params& p) -> asio::awaitable<http::response> {
            const auto& name = p.at("file");
            if (!safe_name(name)) co_return http::json_error(404, "not_found", "no such file");
            co_return file(dir() / name, name);
        });
    add(r, "GET", "/console/vendor/{library}/{file}",
        [&s](http::request&, const http::route_params& p) -> asio::awaitable<http::response> {
            const auto& lib = p.at("library");
            const auto& name = p.at("file");
            if (!safe_name(lib) || !safe_name(name))
                co_return http::json_error(404, "not_found", "no such file");
            co_return file(fs::path(s.env().cfg.console.vendor_dir) / lib / name, name);
        });
}

} // namespace daiban::bot::console
