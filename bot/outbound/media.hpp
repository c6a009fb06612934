// bot layer, outbound: downloading a temporary medium a resident sent (GET /cgi-bin/media/get),
// e.g. a photo of a document for the materials feature. Success is a binary body; failure is a
// JSON errcode with HTTP 200, so the answer is told apart by its Content-Type. Size-capped.
#pragma once

#include "bot/config.hpp"
#include "bot/outbound/access_token.hpp"
#include "model/turn.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace daiban::bot::outbound {

struct media_blob {
    std::string bytes;
    std::string content_type; // e.g. image/jpeg
    std::string file_name;    // from Content-Disposition, if given
};

// Errors: transport, token, outbound_errc::too_large (over `max_bytes`), platform_error (the
// errcode is logged; 40007 = expired or foreign media_id).
boost::asio::awaitable<boost::system::result<media_blob>>
download_media(access_tokens& tokens,
               const platform_account& a,
               const std::string& media_id,
               std::size_t max_bytes);

// The bytes of a medium a turn only refers to: a MediaId through the tenant's WeChat or WeCom
// account (by the turn's channel), else the bridge's media.url. Failures are logged here (the
// handler only tells the resident to send it again); a file over `max_bytes` fails with
// boost::system::errc::file_too_large, which the handler layer knows (the resident is told the
// limit).
boost::asio::awaitable<boost::system::result<std::string>>
fetch_turn_media(http_client& http,
                 access_tokens& tokens,
                 const tenant_config& t,
                 const std::string& channel,
                 const model::media_ref& media,
                 std::size_t max_bytes);

} // namespace daiban::bot::outbound
