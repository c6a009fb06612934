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

asio::awaitable<result<std::string>> fetch_turn_media(http_client& http,
                                                      access_tokens& tokens,
                                                      const tenant_config& t,
                                                      const std::string& channel,
                                                      const model::media_ref& media,
                                                      std::size_t max_bytes) {
    auto failed = [&](const std::string& why) {
        log::warn("event=media_fetch_failed tenant=" + t.id + " channel=" + channel + " reason=\"" +
                  why + "\"");
    };
    if (!media.media_id.empty() && (channel == "wechat" || channel == "wecom")) {
        const auto acc = account_of(t, channel);
        if (!acc) {
            failed("no " + channel + " account configured");
            co_return outbound_errc::not_configured;
        }
        auto blob = co_await download_media(tokens, *acc, media.media_id, max_bytes);
        if (!blob && blob.error() == outbound_errc::too_large)
            co_return make_error_code(boost::system::errc::file_too_large);
        if (!blob) {
            failed("media/get: " + blob.error().message());
            co_return blob.error();
        }
        co_return std::move(blob->bytes);
    }
    if (media.url.starts_with("http://") || media.url.starts_with("https://")) {
        http_request req;
        req.url = media.url;
        auto res = co_await http.send(std::move(req));
        if (!res) {
            failed("GET media.url: " + res.error().message());
            co_return res.error();
        }
        if (res->status != 200) {
            failed("GET media.url answered " + std::to_string(res->status));
            co_return outbound_errc::platform_error;
        }
        if (res->body.size() > max_bytes)
            co_return make_error_code(boost::system::errc::file_too_large);
        co_return std::move(res->body);
    }
    failed("the message carries neither a media id nor a url");
    co_return outbound_errc::not_configured;
}

} // namespace daiban::bot::outbound
