// bot layer, channels: WeChat / WeCom callback cryptography (see wechat_crypto.hpp).
#include "bot/channels/wechat_crypto.hpp"

#include "bot/channels/crypto.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <memory>
#include <unordered_map>
#include <vector>

namespace daiban::bot::channels {

namespace {

constexpr std::size_t key_bytes = 32;
constexpr std::size_t iv_bytes = 16;
constexpr std::size_t random_prefix = 16;
constexpr std::size_t length_field = 4;
// WeChat pads to 32 bytes although AES blocks are 16: a stock 16-byte PKCS#7 unpadder rejects
// every message whose pad byte is above 16 (the official WeCom vector ends in 30 x 0x1e).
constexpr std::size_t pad_block = 32;
constexpr std::size_t aes_block = 16;

struct ctx_deleter {
    void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using ctx_ptr = std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter>;

// Fetched once: an implicit fetch on every EVP_*Init costs a provider lookup per message. Never
// freed on purpose: OpenSSL's own atexit cleanup may run before our static destructors.
const EVP_CIPHER* aes_256_cbc() {
    static const EVP_CIPHER* cipher = [] {
        const EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
        return c ? c : EVP_aes_256_cbc();
    }();
    return cipher;
}

const unsigned char* uchars(std::string_view s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

// The keyed contexts of one AES key, one per direction. Expanding the key costs more than
// encrypting a short message, and a tenant's key (and IV: its first 16 bytes) never changes, so
// each thread keeps its contexts per key and only rewinds the IV per message.
struct keyed_contexts {
    ctx_ptr encrypt{EVP_CIPHER_CTX_new()};
    ctx_ptr decrypt{EVP_CIPHER_CTX_new()};
    bool ready = false;
};

EVP_CIPHER_CTX* context_for(bool encrypting, std::string_view key) {
    thread_local std::unordered_map<std::string, keyed_contexts> by_key;
    auto [it, fresh] = by_key.try_emplace(std::string(key));
    auto& k = it->second;
    if (fresh) {
        const auto* kb = uchars(key);
        k.ready = k.encrypt && k.decrypt &&
                  EVP_EncryptInit_ex2(k.encrypt.get(), aes_256_cbc(), kb, kb, nullptr) == 1 &&
                  EVP_DecryptInit_ex2(k.decrypt.get(), aes_256_cbc(), kb, kb, nullptr) == 1 &&
                  EVP_CIPHER_CTX_set_padding(k.encrypt.get(), 0) == 1 &&
                  EVP_CIPHER_CTX_set_padding(k.decrypt.get(), 0) == 1;
    }
    if (!k.ready) return nullptr;
    EVP_CIPHER_CTX* ctx = encrypting ? k.encrypt.get() : k.decrypt.get();
    // Same cipher and key: only the IV (the key's first 16 bytes) is set again.
    const int ok = encrypting ? EVP_EncryptInit_ex2(ctx, nullptr, nullptr, uchars(key), nullptr)
                              : EVP_DecryptInit_ex2(ctx, nullptr, nullptr, uchars(key), nullptr);
    return ok == 1 ? ctx : nullptr;
}

// AES-256-CBC over whole blocks, in place (OpenSSL allows the output to be the input exactly),
// padding off: we pad to 32 ourselves. False on any engine failure.
bool aes_cbc_in_place(bool encrypting, std::string_view key, std::string& buf) {
    EVP_CIPHER_CTX* ctx = context_for(encrypting, key);
    if (!ctx || buf.size() % aes_block != 0) return false;
    auto* b = reinterpret_cast<unsigned char*>(buf.data());
    unsigned char tail[2 * aes_block]; // Final writes nothing with padding off and whole blocks
    int n1 = 0;
    int n2 = 0;
    const int len = static_cast<int>(buf.size());
    const bool ok = encrypting ? EVP_EncryptUpdate(ctx, b, &n1, b, len) == 1 &&
                                     EVP_EncryptFinal_ex(ctx, tail, &n2) == 1
                               : EVP_DecryptUpdate(ctx, b, &n1, b, len) == 1 &&
                                     EVP_DecryptFinal_ex(ctx, tail, &n2) == 1;
    return ok && n1 == len && n2 == 0;
}

// Received hex compared with our lowercase hex, ignoring the received one's case, in constant
// time for equal lengths (the length of a SHA-1 is public).
bool equal_hex_ignoring_case(std::string_view received, std::string_view expected) {
    if (received.size() != expected.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < received.size(); ++i) {
        auto c = static_cast<unsigned char>(received[i]);
        c = static_cast<unsigned char>(c | ((c >= 'A' && c <= 'F') ? 0x20 : 0)); // A-F -> a-f
        diff = static_cast<unsigned char>(diff | (c ^ static_cast<unsigned char>(expected[i])));
    }
    return diff == 0;
}

} // namespace

std::string wechat_signature(std::span<const std::string_view> parts) {
    // Bytewise order, as Tencent's samples sort: string_view compares with char_traits<char>,
    // which compares as unsigned char, so UTF-8 parts sort by code point.
    // Callers pass 3 or 4 parts: sort them on the stack.
    std::array<std::string_view, 8> small;
    std::vector<std::string_view> large;
    std::span<std::string_view> sorted;
    if (parts.size() <= small.size()) {
        std::copy(parts.begin(), parts.end(), small.begin());
        sorted = std::span(small.data(), parts.size());
    } else {
        large.assign(parts.begin(), parts.end());
        sorted = large;
    }
    std::sort(sorted.begin(), sorted.end());
    return sha1_hex(std::span<const std::string_view>(sorted)); // hashed in order, not joined
}

bool signature_matches(std::string_view received, std::string_view expected) {
    if (received.empty()) return false;
    return equal_hex_ignoring_case(received, expected);
}

boost::system::result<std::int64_t>
check_timestamp(std::string_view timestamp, std::int64_t now, int max_skew_s) {
    // Digits only (from_chars would accept a leading '-'); 12 digits reach far beyond year 9999.
    if (timestamp.empty() || timestamp.size() > 12 ||
        !std::all_of(timestamp.begin(), timestamp.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
        return wechat_errc::stale_timestamp;
    std::int64_t t = 0;
    std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), t);
    if (max_skew_s > 0) {
        const auto skew = t > now ? t - now : now - t;
        if (skew > max_skew_s) return wechat_errc::stale_timestamp;
    }
    return t;
}

namespace {
// The envelope after its Encrypt value: signature, timestamp, nonce. MsgSignature and TimeStamp
// are hex and digits we produced. The nonce is echoed from the request, i.e. sender-controlled:
// any "]]>" in it is split across two CDATA sections so the XML stays valid and still reads back
// as the signed value.
void append_envelope_tail(std::string& x,
                          std::string_view msg_signature,
                          std::string_view timestamp,
                          std::string_view nonce) {
    x += "]]></Encrypt><MsgSignature><![CDATA[";
    x += msg_signature;
    x += "]]></MsgSignature><TimeStamp>";
    x += timestamp;
    x += "</TimeStamp><Nonce><![CDATA[";
    for (char c : nonce) {
        x += c;
        if (c == '>' && x.ends_with("]]>")) x.insert(x.size() - 1, "]]><![CDATA[");
    }
    x += "]]></Nonce></xml>";
}
constexpr std::string_view envelope_head = "<xml><Encrypt><![CDATA[";
} // namespace

std::string encrypted_envelope::to_xml() const {
    std::string x;
    x.reserve(encrypt.size() + 200 + nonce.size());
    x += envelope_head;
    x += encrypt;
    append_envelope_tail(x, msg_signature, timestamp, nonce);
    return x;
}

boost::system::result<msg_crypt>
msg_crypt::make(std::string token, std::string_view encoding_aes_key, std::string receive_id) {
    if (encoding_aes_key.size() != 43) return wechat_errc::bad_aes_key;
    auto key = base64_decode(std::string(encoding_aes_key) + "=");
    if (!key || key->size() != key_bytes) return wechat_errc::bad_aes_key;
    return msg_crypt(std::move(token), std::move(*key), std::move(receive_id));
}

std::string msg_crypt::signature(std::string_view timestamp,
                                 std::string_view nonce,
                                 std::string_view encrypt) const {
    return wechat_signature({token_, timestamp, nonce, encrypt});
}

bool msg_crypt::check_signature(std::string_view received,
                                std::string_view timestamp,
                                std::string_view nonce,
                                std::string_view encrypt) const {
    return signature_matches(received, signature(timestamp, nonce, encrypt));
}

boost::system::result<wechat_plaintext> msg_crypt::open(std::string_view encrypt_b64) const {
    return open_parts(encrypt_b64, true);
}

boost::system::result<wechat_plaintext> msg_crypt::open_parts(std::string_view encrypt_b64,
                                                              bool keep_random) const {
    // Callers check the signature over the ciphertext first, so only someone holding the token
    // can make us decrypt: the distinct padding/length errors are no padding oracle.
    auto plain = base64_decode(encrypt_b64);
    if (!plain) return wechat_errc::bad_base64;
    if (plain->empty() || plain->size() % aes_block != 0) return wechat_errc::bad_ciphertext;
    if (!aes_cbc_in_place(false, key_, *plain)) return wechat_errc::decrypt_failed;

    const auto pad = static_cast<unsigned char>(plain->back());
    if (pad < 1 || pad > pad_block || pad > plain->size()) return wechat_errc::bad_padding;
    for (std::size_t i = plain->size() - pad; i < plain->size(); ++i)
        if (static_cast<unsigned char>((*plain)[i]) != pad) return wechat_errc::bad_padding;
    plain->resize(plain->size() - pad);

    if (plain->size() < random_prefix + length_field) return wechat_errc::bad_length;
    std::uint64_t msg_len = 0;
    for (std::size_t i = 0; i < length_field; ++i)
        msg_len = (msg_len << 8) | static_cast<unsigned char>((*plain)[random_prefix + i]);
    // A wrong key gives a random length; compare in 64 bits so it cannot wrap.
    const std::size_t header = random_prefix + length_field;
    if (header + msg_len > plain->size()) return wechat_errc::bad_length;

    // The message keeps the decrypted buffer: cut its tail and head off rather than copy it.
    wechat_plaintext out;
    const auto end = header + static_cast<std::size_t>(msg_len);
    if (keep_random) out.random = plain->substr(0, random_prefix);
    out.receive_id = plain->substr(end);
    plain->resize(end);
    plain->erase(0, header);
    out.message = std::move(*plain);
    return out;
}

boost::system::result<std::string> msg_crypt::decrypt(std::string_view encrypt_b64) const {
    auto parts = open_parts(encrypt_b64, false);
    if (!parts) return parts.error();
    if (parts->receive_id != receive_id_) return wechat_errc::appid_mismatch;
    return std::move(parts->message);
}

boost::system::result<std::string> msg_crypt::encrypt(std::string_view message) const {
    return encrypt(message, random_bytes(random_prefix));
}

boost::system::result<std::string> msg_crypt::encrypt(std::string_view message,
                                                      std::string_view random16) const {
    if (random16.size() != random_prefix) return wechat_errc::bad_length;
    if (message.size() > 0xffffffffu) return wechat_errc::bad_length;
    const auto& cipher = sealed(message, random16);
    if (cipher.empty()) return wechat_errc::decrypt_failed; // the engine failed
    return base64_encode(cipher);
}

// random16 | be32 len | message | receive id | PKCS#7 to 32, AES-encrypted in a buffer each
// thread reuses (a reply is sealed, then base64'd out of it at once). Empty on failure.
const std::string& msg_crypt::sealed(std::string_view message, std::string_view random16) const {
    thread_local std::string buf;
    buf.clear();
    if (random16.size() != random_prefix || message.size() > 0xffffffffu) return buf;
    const std::size_t body = random_prefix + length_field + message.size() + receive_id_.size();
    const std::size_t pad = pad_block - body % pad_block; // 1..32: a full block when aligned
    buf.reserve(body + pad);
    buf += random16;
    const auto len = static_cast<std::uint32_t>(message.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        buf += static_cast<char>((len >> shift) & 0xff);
    buf += message;
    buf += receive_id_;
    buf.append(pad, static_cast<char>(pad));
    if (!aes_cbc_in_place(true, key_, buf)) buf.clear();
    return buf;
}

boost::system::result<encrypted_envelope> msg_crypt::seal_reply(std::string_view reply_xml,
                                                                std::string_view timestamp,
                                                                std::string_view nonce,
                                                                std::string_view random16) const {
    auto enc = random16.empty() ? encrypt(reply_xml) : encrypt(reply_xml, random16);
    if (!enc) return enc.error();
    encrypted_envelope env;
    env.encrypt = std::move(*enc);
    env.timestamp = std::string(timestamp);
    env.nonce = std::string(nonce);
    env.msg_signature = signature(env.timestamp, env.nonce, env.encrypt);
    return env;
}

boost::system::result<std::string> msg_crypt::seal_reply_xml(std::string_view reply_xml,
                                                             std::string_view timestamp,
                                                             std::string_view nonce) const {
    if (reply_xml.size() > 0xffffffffu) return wechat_errc::bad_length;
    const auto random = random_bytes(random_prefix);
    const auto& cipher = sealed(reply_xml, random);
    if (cipher.empty()) return wechat_errc::decrypt_failed; // the engine failed
    // One buffer: the base64 is written where the envelope carries it and signed in place.
    std::string x;
    x.reserve(envelope_head.size() + 4 * (cipher.size() + 2) / 3 + 160 + 2 * nonce.size());
    x += envelope_head;
    append_base64(x, cipher);
    const std::string_view encrypt(x.data() + envelope_head.size(),
                                   x.size() - envelope_head.size());
    const auto sig = signature(timestamp, nonce, encrypt);
    append_envelope_tail(x, sig, timestamp, nonce);
    return x;
}

} // namespace daiban::bot::channels
