// Fuzzes the WeChat/WeCom crypto envelope (bot/channels/wechat_crypto.cpp, base64.cpp): signature
// checks, base64 decoding (AVX2 and scalar paths), AES-256-CBC decryption with WeChat's PKCS#7
// (block 32) padding under a fixed key, timestamps, and encrypt -> decrypt round trips.
#include "bot/channels/base64.hpp"
#include "bot/channels/wechat_crypto.hpp"
#include "fuzz_check.hpp"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

using namespace daiban::bot::channels;

namespace {

// WeChat's documented sample key (43 characters of base64 = 32 bytes).
constexpr std::string_view aes_key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
constexpr std::string_view app_id = "wx2c2769f8efd9abc2"; // tests/data/wechat_vectors.json V4, V5

const msg_crypt& crypt() {
    static const msg_crypt c = msg_crypt::make("QDG6eK", aes_key, std::string(app_id)).value();
    return c;
}

// Cuts the input at the first '\n' (when there is one): two pieces to play two roles.
std::pair<std::string_view, std::string_view> split(std::string_view s) {
    const auto nl = s.find('\n');
    if (nl == std::string_view::npos) return {s, {}};
    return {s.substr(0, nl), s.substr(nl + 1)};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto mode = data[0] % 6;
    const std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
    const auto& c = crypt();

    switch (mode) {
    case 0: { // base64: decode arbitrary text; both paths agree; decode(encode(x)) == x
        const auto d = base64_decode(in);
        const auto s = base64_detail::scalar_base64_decode(in);
        FUZZ_CHECK(d.has_value() == s.has_value());
        if (d) {
            FUZZ_CHECK(*d == *s);
            FUZZ_CHECK(d->size() == in.size() / 4 * 3 - (in.ends_with("==")  ? 2
                                                         : in.ends_with("=") ? 1
                                                                             : 0));
        }
        const auto e = base64_encode(in);
        std::string es;
        base64_detail::scalar_append_base64(es, in);
        FUZZ_CHECK(e == es);
        FUZZ_CHECK(e.size() == (in.size() + 2) / 3 * 4);
        const auto back = base64_decode(e);
        FUZZ_CHECK(back && *back == in);
        if (d) FUZZ_CHECK(base64_decode(base64_encode(*d)) == d);
        break;
    }
    case 1: { // open/decrypt an arbitrary Encrypt value (base64, AES, padding, lengths)
        const auto opened = c.open(in);
        const auto dec = c.decrypt(in);
        if (dec) {
            FUZZ_CHECK(opened);
            FUZZ_CHECK(opened->message == *dec);
            FUZZ_CHECK(opened->receive_id == app_id);
        }
        if (opened) {
            // Whatever opens re-seals to something that opens to the same parts.
            const auto again = c.encrypt(opened->message, opened->random);
            FUZZ_CHECK(again);
            const auto reopened = c.open(*again);
            FUZZ_CHECK(reopened);
            FUZZ_CHECK(reopened->message == opened->message);
            FUZZ_CHECK(reopened->random == opened->random);
        }
        break;
    }
    case 2: { // encrypt -> decrypt gives the message back, with a given and a fresh prefix
        std::string random16(16, '\0');
        for (std::size_t i = 0; i < 16 && i < in.size(); ++i)
            random16[i] = in[i];
        const auto msg = in.size() > 16 ? in.substr(16) : std::string_view();
        const auto enc = c.encrypt(msg, random16);
        FUZZ_CHECK(enc);
        const auto dec = c.decrypt(*enc);
        FUZZ_CHECK(dec && *dec == msg);
        const auto opened = c.open(*enc);
        FUZZ_CHECK(opened && opened->random == random16 && opened->receive_id == app_id);
        const auto fresh = c.encrypt(msg);
        FUZZ_CHECK(fresh);
        const auto dec2 = c.decrypt(*fresh);
        FUZZ_CHECK(dec2 && *dec2 == msg);
        FUZZ_CHECK(!c.encrypt(msg, random16.substr(0, 15)));
        // The sealed reply's signature checks out under the same crypt.
        const auto sealed = c.seal_reply(msg, "1409304348", "xxxxxx", random16);
        FUZZ_CHECK(sealed);
        FUZZ_CHECK(c.check_signature(sealed->msg_signature, sealed->timestamp, sealed->nonce,
                                     sealed->encrypt));
        const auto back = c.decrypt(sealed->encrypt);
        FUZZ_CHECK(back && *back == msg);
        break;
    }
    case 3: { // signatures: computed over arbitrary parts; a received one is checked
        const auto [a, rest] = split(in);
        const auto [b, rest2] = split(rest);
        const auto [received, encrypt] = split(rest2);
        const auto sig = c.signature(a, b, encrypt);
        FUZZ_CHECK(sig.size() == 40);
        FUZZ_CHECK(c.check_signature(sig, a, b, encrypt));
        std::string upper = sig;
        for (auto& ch : upper)
            ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        FUZZ_CHECK(signature_matches(upper, sig));
        // The parts are sorted: their order does not matter.
        FUZZ_CHECK(wechat_signature({c.token(), a, b, encrypt}) ==
                   wechat_signature({encrypt, b, a, c.token()}));
        const bool ok = c.check_signature(received, a, b, encrypt);
        if (ok) FUZZ_CHECK(received.size() == 40);
        (void)signature_matches(received, a);
        break;
    }
    case 4: { // timestamps
        const auto [ts, now_text] = split(in);
        // A clock reading (the server passes time(nullptr)): 0 .. 2^40 s.
        std::int64_t now = 0;
        for (std::size_t i = 0; i < 5 && i < now_text.size(); ++i)
            now = (now << 8) | static_cast<unsigned char>(now_text[i]);
        const int skew = now_text.size() > 8 ? static_cast<signed char>(now_text[8]) * 60 : 300;
        const auto r = check_timestamp(ts, now, skew);
        if (r && skew > 0) FUZZ_CHECK(*r >= now - skew && *r <= now + skew);
        break;
    }
    case 5: { // make() with an arbitrary key: accepted keys decode to 32 bytes and round-trip
        const auto [key, msg] = split(in);
        auto m = msg_crypt::make("t", key, "id");
        if (m) {
            FUZZ_CHECK(key.size() == 43);
            const auto enc = m->encrypt(msg, std::string(16, 'r'));
            FUZZ_CHECK(enc);
            const auto dec = m->decrypt(*enc);
            FUZZ_CHECK(dec && *dec == msg);
        }
        break;
    }
    }
    return 0;
}
