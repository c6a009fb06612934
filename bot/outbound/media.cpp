// bot layer, outbound: download_media (see media.hpp).
#include "bot/outbound/media.hpp"

#include "bot/log.hpp"
#include "bot/outbound/errors.hpp"

namespace daiban::bot::outbound {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<result<media_blob>> download_media(access_tokens& tokens,
                                                   const platform_account& a,
                                                   const std::string& media_id,
                                                   std::size_t max_bytes) {
    auto r =
        co_await tokens.call(a, "GET", "/cgi-bin/media/get?media_id=" + url_encode(media_id), "");
    if (!r) {
        // The client's own body limit is larger; a cut-off read surfaces as an error here.
        co_return r.error();
    }
    if (r->errcode != 0 || r->raw.content_type.find("json") != std::string::npos) {
        log::warn("event=media_get_refused tenant=" + a.tenant +
                  " errcode=" + std::to_string(r->errcode) + " errmsg=\"" + r->errmsg + "\"");
        co_return outbound_errc::platform_error;
    }
    if (r->raw.body.size() > max_bytes) co_return outbound_errc::too_large;
    media_blob m;
    m.bytes = std::move(r->raw.body);
    m.content_type = r->raw.content_type;
    const auto& cd = r->raw.content_disposition;
    if (auto pos = cd.find("filename="); pos != std::string::npos) {
        std::string name = cd.substr(pos + 9);
        if (!name.empty() && name.front() == '"') name = name.substr(1, name.find('"', 1) - 1);
        m.file_name = name;
    }
    co_return m;
}

} // namespace daiban::bot::outbound
