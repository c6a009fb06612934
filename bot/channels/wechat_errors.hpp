// bot layer, channels: the error vocabulary of the WeChat / WeCom callback protocol (signature,
// decryption, envelope and message XML). Every way a callback can be wrong is one enumerator, so
// the route can log exactly what was wrong and pick the status WeChat should see.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace daiban::bot::channels {

// Tencent's WXBizMsgCrypt samples number these -40001...-40011; the comments give the nearest one
// so log lines can be matched against WeChat console messages.
enum class wechat_errc {
    bad_aes_key = 1,     // EncodingAESKey is not 43 base64 chars decoding to 32 bytes (-40004)
    bad_signature,       // signature / msg_signature mismatch or missing (-40001)
    stale_timestamp,     // timestamp missing, not a number, or outside the allowed clock skew
    bad_base64,          // Encrypt / echostr is not standard padded base64 (-40010)
    bad_ciphertext,      // ciphertext empty or not a whole number of AES blocks (-40007)
    decrypt_failed,      // the AES engine refused (-40007)
    bad_padding,         // PKCS#7 (block 32) padding invalid: wrong key or corrupted (-40008)
    bad_length,          // the 4-byte message length does not fit the plaintext (-40008)
    appid_mismatch,      // receive id after the message is not our AppID / CorpID (-40005)
    agent_mismatch,      // WeCom AgentID is not the configured one
    xml_too_large,       // body over the size cap
    xml_doctype,         // DOCTYPE / ENTITY / other markup declaration: refused outright (XXE)
    xml_not_utf8,        // not valid UTF-8, or contains characters XML forbids
    xml_malformed,       // pugixml could not parse it, or the root is not <xml>
    missing_field,       // a field the message type requires is absent or empty
    bad_field,           // a field is present but malformed (e.g. CreateTime not a number)
    unsupported_message, // a MsgType we do not handle: acknowledged with "success", not an error
};

const boost::system::error_category& wechat_category();

inline boost::system::error_code make_error_code(wechat_errc e) {
    return {static_cast<int>(e), wechat_category()};
}

// The enumerator's name ("bad_padding"), for JSON error codes and log lines.
const char* wechat_errc_name(wechat_errc e);

// The HTTP status a callback failing with `e` gets: 401 for authentication (bad signature, stale
// timestamp), 200 for an unsupported message type (WeChat must not retry it), 500 for a broken
// configuration (our fault, not the sender's), 400 for everything else.
int http_status(boost::system::error_code e);

} // namespace daiban::bot::channels

template <>
struct boost::system::is_error_code_enum<daiban::bot::channels::wechat_errc> : std::true_type {};
