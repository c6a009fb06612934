// bot layer, channels: WeChat / WeCom callback cryptography ("WXBizMsgCrypt"): SHA-1 signatures
// over sorted parts, and the AES-256-CBC message envelope shared by official accounts (receive id
// = AppID) and WeCom apps (receive id = CorpID). Sans-io; every function is thread-safe, none
// throws on bad input: failures are wechat_errc values (see wechat_errors.hpp).
#pragma once

#include "bot/channels/wechat_errors.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace daiban::bot::channels {

// SHA-1 (lowercase hex) of the parts sorted bytewise and joined without separator. Three parts
// (token, timestamp, nonce) give the plain OA `signature`; four (… , Encrypt or echostr) give
// `msg_signature`. An empty part sorts first and adds nothing, so 4 parts with an empty last one
// equal the 3-part signature, as WeChat's own samples rely on.
std::string wechat_signature(std::span<const std::string_view> parts);
inline std::string wechat_signature(std::initializer_list<std::string_view> parts) {
    return wechat_signature(std::span<const std::string_view>(parts.begin(), parts.size()));
}

// Constant-time check of a received signature against the one we compute. Upper-case hex is
// accepted (it is the same digest); an empty or wrong-length signature is simply unequal.
bool signature_matches(std::string_view received, std::string_view expected);

// Parses a callback's `timestamp` (decimal Unix seconds) and checks it is within `max_skew_s` of
// `now` either way. stale_timestamp when missing, not a number, or outside the window.
// max_skew_s <= 0 disables the window (the value is still parsed).
boost::system::result<std::int64_t>
check_timestamp(std::string_view timestamp, std::int64_t now, int max_skew_s);

// The decrypted plaintext, split into its parts (random(16) | be32 len | msg | receive_id).
struct wechat_plaintext {
    std::string random;
    std::string message;
    std::string receive_id;
};

// The encrypted passive reply: its fields and its XML form (§4.5 of the protocol reference).
struct encrypted_envelope {
    std::string encrypt;       // base64 ciphertext
    std::string msg_signature; // sha1 over (token, timestamp, nonce, encrypt)
    std::string timestamp;
    std::string nonce;

    std::string to_xml() const;
};

// One account's callback crypto: its token, AES key and expected receive id. Immutable after
// construction, so one instance may be shared by every thread.
class msg_crypt {
public:
    // bad_aes_key unless `encoding_aes_key` is 43 characters of base64 whose decoding (with the
    // missing '=' appended) is exactly 32 bytes. `receive_id` may be empty (WeCom AI bot).
    static boost::system::result<msg_crypt>
    make(std::string token, std::string_view encoding_aes_key, std::string receive_id);

    const std::string& token() const { return token_; }
    const std::string& receive_id() const { return receive_id_; }

    // sha1(sort(token, timestamp, nonce, encrypt)); encrypt empty gives the 3-part signature.
    std::string signature(std::string_view timestamp,
                          std::string_view nonce,
                          std::string_view encrypt = {}) const;
    bool check_signature(std::string_view received,
                         std::string_view timestamp,
                         std::string_view nonce,
                         std::string_view encrypt = {}) const;

    // base64 → AES-256-CBC (IV = key[0:16], no cipher padding) → PKCS#7 with block 32 → split.
    // Validates every length; does NOT check the receive id (see decrypt).
    boost::system::result<wechat_plaintext> open(std::string_view encrypt_b64) const;
    // open() and then check the receive id is ours (appid_mismatch otherwise); the message.
    boost::system::result<std::string> decrypt(std::string_view encrypt_b64) const;

    // Encrypts `message` for WeChat with a fresh random prefix.
    boost::system::result<std::string> encrypt(std::string_view message) const;
    // Same with a given 16-byte prefix, for reproducible tests (bad_length if it is not 16).
    boost::system::result<std::string> encrypt(std::string_view message,
                                               std::string_view random16) const;

    // The encrypted passive reply for `reply_xml`, signed with `timestamp` and `nonce` (WeChat's
    // samples echo the request's nonce). `random16` empty means fresh random bytes.
    boost::system::result<encrypted_envelope> seal_reply(std::string_view reply_xml,
                                                         std::string_view timestamp,
                                                         std::string_view nonce,
                                                         std::string_view random16 = {}) const;

    // The same reply as seal_reply(...).to_xml(), built in one buffer with fresh random bytes:
    // the form the HTTP channels send (every encrypted message is answered with one).
    boost::system::result<std::string> seal_reply_xml(std::string_view reply_xml,
                                                      std::string_view timestamp,
                                                      std::string_view nonce) const;

private:
    boost::system::result<wechat_plaintext> open_parts(std::string_view encrypt_b64,
                                                       bool keep_random) const;
    const std::string& sealed(std::string_view message, std::string_view random16) const;

    msg_crypt(std::string token, std::string key, std::string receive_id)
        : token_(std::move(token)), key_(std::move(key)), receive_id_(std::move(receive_id)) {}

    std::string token_;
    std::string key_; // 32 raw bytes; the IV is its first 16
    std::string receive_id_;
};

} // namespace daiban::bot::channels
