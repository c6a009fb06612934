// bot layer, channels: error category of the WeChat / WeCom callback protocol (wechat_errors.hpp).
#include "bot/channels/wechat_errors.hpp"

#include <string>

namespace daiban::bot::channels {

namespace {

// boost::system::error_category's destructor is protected and non-virtual by design (categories
// are never deleted through a base pointer); the warning does not apply.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class wechat_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "daiban.wechat"; }

    std::string message(int ev) const override {
        switch (static_cast<wechat_errc>(ev)) {
        case wechat_errc::bad_aes_key:
            return "EncodingAESKey must be 43 base64 characters decoding to 32 bytes";
        case wechat_errc::bad_signature:
            return "signature mismatch";
        case wechat_errc::stale_timestamp:
            return "timestamp missing or outside the allowed window";
        case wechat_errc::bad_base64:
            return "ciphertext is not valid base64";
        case wechat_errc::bad_ciphertext:
            return "ciphertext length is not a positive multiple of the AES block";
        case wechat_errc::decrypt_failed:
            return "AES decryption failed";
        case wechat_errc::bad_padding:
            return "bad PKCS#7 padding (wrong EncodingAESKey?)";
        case wechat_errc::bad_length:
            return "message length field does not fit the plaintext";
        case wechat_errc::appid_mismatch:
            return "receive id (AppID/CorpID) in plaintext mismatch";
        case wechat_errc::agent_mismatch:
            return "AgentID is not the configured one";
        case wechat_errc::xml_too_large:
            return "XML body too large";
        case wechat_errc::xml_doctype:
            return "XML markup declarations (DOCTYPE/ENTITY) refused";
        case wechat_errc::xml_not_utf8:
            return "XML is not valid UTF-8 text";
        case wechat_errc::xml_malformed:
            return "malformed XML";
        case wechat_errc::missing_field:
            return "required field missing";
        case wechat_errc::bad_field:
            return "malformed field";
        case wechat_errc::unsupported_message:
            return "unsupported message type";
        }
        return "unknown wechat error " + std::to_string(ev);
    }
};
#pragma GCC diagnostic pop

} // namespace

const boost::system::error_category& wechat_category() {
    static const wechat_category_impl instance;
    return instance;
}

const char* wechat_errc_name(wechat_errc e) {
    switch (e) {
    case wechat_errc::bad_aes_key:
        return "bad_aes_key";
    case wechat_errc::bad_signature:
        return "bad_signature";
    case wechat_errc::stale_timestamp:
        return "stale_timestamp";
    case wechat_errc::bad_base64:
        return "bad_base64";
    case wechat_errc::bad_ciphertext:
        return "bad_ciphertext";
    case wechat_errc::decrypt_failed:
        return "decrypt_failed";
    case wechat_errc::bad_padding:
        return "bad_padding";
    case wechat_errc::bad_length:
        return "bad_length";
    case wechat_errc::appid_mismatch:
        return "appid_mismatch";
    case wechat_errc::agent_mismatch:
        return "agent_mismatch";
    case wechat_errc::xml_too_large:
        return "xml_too_large";
    case wechat_errc::xml_doctype:
        return "xml_doctype";
    case wechat_errc::xml_not_utf8:
        return "xml_not_utf8";
    case wechat_errc::xml_malformed:
        return "xml_malformed";
    case wechat_errc::missing_field:
        return "missing_field";
    case wechat_errc::bad_field:
        return "bad_field";
    case wechat_errc::unsupported_message:
        return "unsupported_message";
    }
    return "unknown";
}

int http_status(boost::system::error_code e) {
    if (e.category() != wechat_category()) return 500;
    switch (static_cast<wechat_errc>(e.value())) {
    case wechat_errc::bad_signature:
    case wechat_errc::stale_timestamp:
        return 401;
    case wechat_errc::unsupported_message:
        return 200;
    case wechat_errc::bad_aes_key:
        return 500;
    default:
        return 400;
    }
}

} // namespace daiban::bot::channels
