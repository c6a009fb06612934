// Unit: WeChat / WeCom callback crypto against every published vector in
// tests/data/wechat_vectors.json, plus the ways a callback can be wrong.
#include "bot/channels/crypto.hpp"
#include "bot/channels/wechat_crypto.hpp"
#include "bot/channels/wechat_xml.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <random>

using namespace daiban::bot::channels;
using nlohmann::json;

namespace {

const json& vectors() {
    static const json v = [] {
        std::ifstream in(DAIBAN_TEST_DATA_DIR "/wechat_vectors.json");
        REQUIRE(in.good());
        return json::parse(in);
    }();
    return v;
}

msg_crypt make_crypt(std::string_view key, std::string receive_id, std::string token = "t") {
    auto c = msg_crypt::make(std::move(token), key, std::move(receive_id));
    REQUIRE(c.has_value());
    return *c;
}

// Flips one bit of the raw ciphertext behind a base64 string.
std::string flip(std::string_view b64, std::size_t byte, unsigned char mask) {
    auto raw = base64_decode(b64);
    REQUIRE(raw.has_value());
    REQUIRE(byte < raw->size());
    (*raw)[byte] = static_cast<char>((*raw)[byte] ^ mask);
    return base64_encode(*raw);
}

const json& decrypt_vector(std::string_view id) {
    for (const auto& v : vectors()["decrypt"])
        if (v["id"] == id) return v;
    FAIL("no decrypt vector " << id);
    throw; // unreachable
}

} // namespace

TEST_CASE("every published signature vector", "[unit][wechat]") {
    const auto& sigs = vectors()["signatures"];
    REQUIRE(sigs.size() >= 8);
    for (const auto& v : sigs) {
        INFO(v["id"].get<std::string>());
        std::vector<std::string> parts = v["parts"];
        std::vector<std::string_view> views(parts.begin(), parts.end());
        CHECK(wechat_signature(views) == v["sha1"]);
        // The same through an account's msg_crypt (token first, then timestamp, nonce, encrypt).
        auto c = make_crypt(std::string(43, 'A'), "", parts[0]);
        const std::string_view enc = parts.size() > 3 ? parts[3] : std::string_view{};
        CHECK(c.signature(parts[1], parts[2], enc) == v["sha1"]);
        CHECK(c.check_signature(v["sha1"].get<std::string>(), parts[1], parts[2], enc));
    }
}

TEST_CASE("3-part signature equals 4-part with an empty Encrypt", "[unit][wechat]") {
    CHECK(wechat_signature({"AAAAA", "1714037059", "486452656", ""}) ==
          "899cf89e464efb63f54ddac96b0a0a235f53aa78");
}

TEST_CASE("signature comparison", "[unit][wechat]") {
    const std::string good = "899cf89e464efb63f54ddac96b0a0a235f53aa78";
    CHECK(signature_matches(good, good));
    CHECK(signature_matches("899CF89E464EFB63F54DDAC96B0A0A235F53AA78", good));
    CHECK_FALSE(signature_matches("899cf89e464efb63f54ddac96b0a0a235f53aa79", good));
    CHECK_FALSE(signature_matches(good.substr(1), good));
    CHECK_FALSE(signature_matches("", good));
    auto c = make_crypt(std::string(43, 'A'), "", "AAAAA");
    CHECK_FALSE(c.check_signature(good, "1714037059", "486452657")); // nonce off by one
}

TEST_CASE("every published decrypt vector", "[unit][wechat]") {
    for (const auto& v : vectors()["decrypt"]) {
        INFO(v["id"].get<std::string>());
        auto c = make_crypt(v["aes_key"].get<std::string>(), v["receive_id"]);
        auto msg = c.decrypt(v["encrypt"].get<std::string>());
        REQUIRE(msg.has_value());
        if (v.contains("message")) CHECK(*msg == v["message"]);
        if (v.contains("contains"))
            CHECK(msg->find(v["contains"].get<std::string>()) != std::string::npos);
        if (v.contains("msg_bytes")) CHECK(msg->size() == v["msg_bytes"]);
        auto parts = c.open(v["encrypt"].get<std::string>());
        REQUIRE(parts.has_value());
        CHECK(parts->random.size() == 16);
        CHECK(parts->receive_id == v["receive_id"]);
    }
}

TEST_CASE("open-platform vector: the random prefix is the published one", "[unit][wechat]") {
    const auto& v = decrypt_vector("V2");
    auto parts = make_crypt(v["aes_key"].get<std::string>(), v["receive_id"])
                     .open(v["encrypt"].get<std::string>());
    REQUIRE(parts.has_value());
    CHECK(parts->random == "1205899eaf019bbd");
}

TEST_CASE("padding above 16 (WeCom vector pads with 30 bytes) is accepted", "[unit][wechat]") {
    const auto& v = decrypt_vector("V6-post");
    REQUIRE(v["pad_byte"] == 30);
    auto msg = make_crypt(v["aes_key"].get<std::string>(), v["receive_id"])
                   .decrypt(v["encrypt"].get<std::string>());
    REQUIRE(msg.has_value());
    auto in = parse_inbound(*msg, "demo", wechat_flavor::wecom);
    REQUIRE(in.has_value());
    CHECK(in->turn.text == "hello");
    CHECK(in->agent_id == "218");
    CHECK(in->turn.id == "4561255354251345929");
    CHECK(in->account == "wx5823bf96d3bd56c7");
    CHECK(in->user == "mycreate");
}

TEST_CASE("every published encrypt vector — byte for byte", "[unit][wechat]") {
    for (const auto& v : vectors()["encrypt"]) {
        INFO(v["id"].get<std::string>());
        auto c = make_crypt(v["aes_key"].get<std::string>(), v["receive_id"]);
        auto enc = c.encrypt(v["message"].get<std::string>(), v["random"].get<std::string>());
        REQUIRE(enc.has_value());
        CHECK(*enc == v["encrypt"]);
        CHECK(c.decrypt(*enc).value() == v["message"]);
        if (v.contains("reply_signature")) {
            std::vector<std::string> p = v["reply_signature"]["parts"];
            auto signer = make_crypt(v["aes_key"].get<std::string>(), v["receive_id"], p[0]);
            auto env = signer.seal_reply(v["message"].get<std::string>(), p[1], p[2],
                                         v["random"].get<std::string>());
            REQUIRE(env.has_value());
            CHECK(env->encrypt == v["encrypt"]);
            CHECK(env->msg_signature == v["reply_signature"]["sha1"]);
            CHECK(env->timestamp == p[1]);
            CHECK(env->nonce == p[2]);
        }
    }
}

TEST_CASE("EncodingAESKey must be 43 chars decoding to 32 bytes", "[unit][wechat]") {
    const std::string good = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    CHECK(msg_crypt::make("t", good, "wx").has_value());
    CHECK(msg_crypt::make("t", good.substr(0, 42), "wx").error() == wechat_errc::bad_aes_key);
    CHECK(msg_crypt::make("t", good + "H", "wx").error() == wechat_errc::bad_aes_key);
    CHECK(msg_crypt::make("t", good.substr(0, 42) + "!", "wx").error() == wechat_errc::bad_aes_key);
    CHECK(msg_crypt::make("t", "", "wx").error() == wechat_errc::bad_aes_key);
}

TEST_CASE("bad ciphertexts are refused with the reason", "[unit][wechat]") {
    const auto& v = decrypt_vector("V4");
    const std::string enc = v["encrypt"];
    auto c = make_crypt(v["aes_key"].get<std::string>(), v["receive_id"]);
    REQUIRE(c.decrypt(enc).has_value());

    SECTION("wrong AppID") {
        auto other = make_crypt(v["aes_key"].get<std::string>(), "wx_other");
        CHECK(other.decrypt(enc).error() == wechat_errc::appid_mismatch);
    }
    SECTION("wrong key") {
        auto other = make_crypt("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", v["receive_id"]);
        const auto e = other.decrypt(enc).error();
        CHECK((e == wechat_errc::bad_padding || e == wechat_errc::bad_length));
    }
    SECTION("'+' turned into a space by a careless URL decoder") {
        std::string mangled = enc;
        std::replace(mangled.begin(), mangled.end(), '+', ' ');
        REQUIRE(mangled != enc);
        CHECK(c.decrypt(mangled).error() == wechat_errc::bad_base64);
    }
    SECTION("truncated: not a whole AES block") {
        CHECK(c.decrypt(enc.substr(0, enc.size() - 4)).error() == wechat_errc::bad_ciphertext);
    }
    SECTION("truncated: whole blocks missing at the end") {
        auto raw = *base64_decode(enc);
        CHECK(c.decrypt(base64_encode(raw.substr(0, raw.size() - 32))).error() ==
              wechat_errc::bad_padding);
    }
    SECTION("empty") {
        CHECK(c.decrypt("").error() == wechat_errc::bad_ciphertext);
    }
    SECTION("corrupted padding") {
        // CBC: a bit flipped in the second-to-last ciphertext block flips the same bit of the
        // last plaintext block, here its final (padding) byte.
        const auto raw_size = base64_decode(enc)->size();
        CHECK(c.decrypt(flip(enc, raw_size - 17, 0x40)).error() == wechat_errc::bad_padding);
    }
    SECTION("length field larger than the plaintext") {
        // Flipping ciphertext byte 0 flips plaintext byte 16: the top byte of the length.
        CHECK(c.decrypt(flip(enc, 0, 0x80)).error() == wechat_errc::bad_length);
    }
}

TEST_CASE("encrypt/decrypt round trips — ciphertext in 32-byte blocks", "[unit][wechat]") {
    auto c = make_crypt("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
    std::mt19937 rng(42);
    for (std::size_t len = 0; len < 80; ++len) {
        std::string msg;
        for (std::size_t i = 0; i < len; ++i)
            msg += static_cast<char>(rng() & 0xff);
        auto enc = c.encrypt(msg);
        REQUIRE(enc.has_value());
        const auto raw = base64_decode(*enc);
        REQUIRE(raw.has_value());
        CHECK(raw->size() % 32 == 0);
        // An aligned body still gets a full block of padding (n = 32), never zero.
        const auto body = 16 + 4 + len + 18;
        CHECK(raw->size() == body + (32 - body % 32));
        CHECK(c.decrypt(*enc).value() == msg);
    }
    const std::string zh = "我是中文abcd123，身份证照片已收到 😀";
    CHECK(c.decrypt(c.encrypt(zh).value()).value() == zh);
    // A fresh random prefix each time: the same reply never encrypts the same way twice.
    CHECK(c.encrypt("x").value() != c.encrypt("x").value());
    CHECK(c.encrypt("x", "short").error() == wechat_errc::bad_length);
}

TEST_CASE("the encrypted reply envelope reads back and verifies", "[unit][wechat]") {
    auto c =
        make_crypt("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7", "QDG6eK");
    const std::string reply = text_reply_xml("mycreate", "wx5823bf96d3bd56c7", 1409659813, "好的");
    for (std::string nonce : {"1372623149", "odd]]>nonce"}) {
        auto env = c.seal_reply(reply, "1409659813", nonce);
        REQUIRE(env.has_value());
        auto f = parse_wechat_xml(env->to_xml());
        REQUIRE(f.has_value());
        CHECK(f->get("Nonce") == nonce);
        CHECK(f->get("TimeStamp") == "1409659813");
        CHECK(f->get("MsgSignature") == env->msg_signature);
        CHECK(c.check_signature(f->get("MsgSignature"), f->get("TimeStamp"), f->get("Nonce"),
                                f->get("Encrypt")));
        CHECK(c.decrypt(f->get("Encrypt")).value() == reply);
    }
}

TEST_CASE("the one-buffer reply envelope reads back as signed and decrypts to the reply",
          "[unit][wechat]") {
    // seal_reply_xml is what the channels send: it must equal seal_reply().to_xml() in meaning.
    auto c =
        make_crypt("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7", "QDG6eK");
    for (std::size_t len : {0, 1, 11, 12, 13, 44, 45, 600}) {
        const std::string reply =
            text_reply_xml("u", "wx5823bf96d3bd56c7", 1409659813, std::string(len, 'a') + "好]]>");
        for (std::string nonce : {"1372623149", "odd]]>nonce", "]]>"}) {
            auto xml = c.seal_reply_xml(reply, "1409659813", nonce);
            REQUIRE(xml.has_value());
            auto f = parse_wechat_xml(*xml);
            REQUIRE(f.has_value());
            CHECK(f->get("Nonce") == nonce);
            CHECK(f->get("TimeStamp") == "1409659813");
            CHECK(
                c.check_signature(f->get("MsgSignature"), "1409659813", nonce, f->get("Encrypt")));
            CHECK(c.decrypt(f->get("Encrypt")).value() == reply);
        }
    }
    // Two seals of one reply differ (fresh random prefix each time).
    CHECK(c.seal_reply_xml("<xml/>", "1", "n").value() !=
          c.seal_reply_xml("<xml/>", "1", "n").value());
}

TEST_CASE("timestamp window", "[unit][wechat]") {
    const std::int64_t now = 1'700'000'000;
    CHECK(check_timestamp("1700000000", now, 300).value() == now);
    CHECK(check_timestamp("1700000300", now, 300).has_value());
    CHECK(check_timestamp("1699999700", now, 300).has_value());
    CHECK(check_timestamp("1700000301", now, 300).error() == wechat_errc::stale_timestamp);
    CHECK(check_timestamp("1699999699", now, 300).error() == wechat_errc::stale_timestamp);
    CHECK(check_timestamp("", now, 300).error() == wechat_errc::stale_timestamp);
    CHECK(check_timestamp("-5", now, 300).error() == wechat_errc::stale_timestamp);
    CHECK(check_timestamp("17e8", now, 300).error() == wechat_errc::stale_timestamp);
    CHECK(check_timestamp("99999999999999999999", now, 300).error() ==
          wechat_errc::stale_timestamp);
    CHECK(check_timestamp("1409659589", now, 0).value() == 1409659589); // window disabled
}

TEST_CASE("error statuses: 401 for authentication — 200 for unsupported — else 400",
          "[unit][wechat]") {
    CHECK(http_status(wechat_errc::bad_signature) == 401);
    CHECK(http_status(wechat_errc::stale_timestamp) == 401);
    CHECK(http_status(wechat_errc::bad_padding) == 400);
    CHECK(http_status(wechat_errc::appid_mismatch) == 400);
    CHECK(http_status(wechat_errc::xml_doctype) == 400);
    CHECK(http_status(wechat_errc::xml_too_large) == 400);
    CHECK(http_status(wechat_errc::unsupported_message) == 200);
    CHECK(http_status(wechat_errc::bad_aes_key) == 500);
    CHECK(boost::system::error_code(wechat_errc::bad_padding).message().find("padding") !=
          std::string::npos);
}

TEST_CASE("two tenants' keys interleaved on one thread: each message encrypted afresh",
          "[unit][wechat]") {
    // Each thread keeps the expanded key per AES key and only rewinds the IV per message: a
    // message must never start from the previous one's CBC state, nor from another key's.
    auto a = make_crypt("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx_a");
    auto b = make_crypt("ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkj", "wx_b");
    const std::string random = "0123456789abcdef";
    const auto a1 = a.encrypt("<xml>同一条消息</xml>", random).value();
    const auto b1 = b.encrypt("<xml>同一条消息</xml>", random).value();
    CHECK(a1 != b1);
    CHECK(a.encrypt("<xml>同一条消息</xml>", random).value() == a1);
    CHECK(b.decrypt(b1).value() == "<xml>同一条消息</xml>");
    CHECK(a.encrypt("<xml>同一条消息</xml>", random).value() == a1);
    CHECK(a.decrypt(a1).value() == "<xml>同一条消息</xml>");
    CHECK(a.decrypt(b1).error() != wechat_errc{}); // the wrong key never reads b's message
}
