// Unit: the primitives under every signature check (known answers from RFC 4231 / FIPS 180).
#include "bot/channels/crypto.hpp"
#include "common/sha256.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

#include <string>
#include <string_view>
#include <vector>

using namespace daiban::bot::channels;
using daiban::sha256_hex;

TEST_CASE("hashes and HMAC match published answers", "[unit][crypto]") {
    CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("HMAC re-keys correctly call after call on one thread", "[unit][crypto]") {
    // The context is kept per thread and re-keyed on every call: a key must never leak into the
    // next MAC. RFC 4231 cases 1, 6 (a key longer than the block) and 2, interleaved twice.
    for (int round = 0; round < 2; ++round) {
        CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        CHECK(hmac_sha256_hex(std::string(131, '\xaa'),
                              "Test Using Larger Than Block-Size Key - Hash Key First") ==
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
        CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }
}

TEST_CASE("base64 round-trips and rejects malformed text", "[unit][crypto]") {
    for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"})
        CHECK(base64_decode(base64_encode(s)) == s);
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(base64_decode("Zm9vYg==") == "foob");
    CHECK_FALSE(base64_decode("Zm9vYg=").has_value());   // wrong length
    CHECK_FALSE(base64_decode("Zm9v YmFy").has_value()); // whitespace
    CHECK_FALSE(base64_decode("Zm=vYmFy").has_value());  // padding in the middle
    CHECK_FALSE(base64_decode("Zm9v!mFy").has_value());  // not in the alphabet
    CHECK_FALSE(base64_decode("Z===").has_value());      // three pads
    CHECK_FALSE(base64_decode("====").has_value());
    CHECK_FALSE(base64_decode("Zg==Zm9v").has_value()); // padding before the end
    CHECK_FALSE(base64_decode("Zm9vYmF\x80").has_value());
}

namespace {
// All 256 byte values in every 256 consecutive bytes (167 is odd, so i * 167 permutes them mod
// 256), with a drift so that the second run differs from the first.
std::string test_bytes(std::size_t len) {
    std::string bytes(len, '\0');
    for (std::size_t i = 0; i < len; ++i)
        bytes[i] = static_cast<char>((i * 167 + i / 256) & 0xff);
    return bytes;
}

// OpenSSL's EVP_EncodeBlock is an independent implementation of RFC 4648 to compare with.
std::string openssl_base64(std::string_view in) {
    std::string theirs(4 * ((in.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(theirs.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
    theirs.resize(static_cast<std::size_t>(n));
    return theirs;
}

std::string scalar_encode(std::string_view in) {
    std::string out;
    base64_detail::scalar_append_base64(out, in);
    return out;
}

bool in_alphabet(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}
} // namespace

TEST_CASE("base64 agrees with OpenSSL on every byte value and every tail length",
          "[unit][crypto]") {
    // On an AVX2 machine the public functions take the vector path for all but the tail, and the
    // scalar_* ones never do: both are compared with OpenSSL at every length up to 300 (every
    // split between vector blocks and scalar tail, with and without padding) and a few large ones.
    INFO("AVX2 path in use: " << base64_detail::uses_avx2());
    std::vector<std::size_t> lengths;
    for (std::size_t len = 0; len <= 300; ++len)
        lengths.push_back(len);
    for (std::size_t len : {1000, 4096 + 7, 100000})
        lengths.push_back(len);
    for (const auto len : lengths) {
        INFO("length " << len);
        const auto in = test_bytes(len);
        const auto theirs = openssl_base64(in);
        CHECK(base64_encode(in) == theirs);
        CHECK(scalar_encode(in) == theirs);
        CHECK(base64_decode(theirs) == in);
        CHECK(base64_detail::scalar_base64_decode(theirs) == in);
        std::string appended = "<x>";
        append_base64(appended, in);
        CHECK(appended == "<x>" + theirs);
        appended = "<y>";
        base64_detail::scalar_append_base64(appended, in);
        CHECK(appended == "<y>" + theirs);
    }
}

TEST_CASE("base64 decoding flags a bad character at every position", "[unit][crypto]") {
    // 200 characters: six 32-character vector blocks and a scalar tail, so every vector lane (and
    // the tail) sees each bad character.
    const auto valid = base64_encode(test_bytes(150));
    REQUIRE(valid.size() == 200);
    REQUIRE(base64_decode(valid) == test_bytes(150));
    for (const unsigned char bad :
         std::initializer_list<unsigned char>{'!', ' ', '\n', '=', 0x80, 0xff, '-', '_', '\0', '@',
                                              '[', '`', '{', ':', '.', ',', 0x7f}) {
        for (std::size_t pos = 0; pos < valid.size(); ++pos) {
            // '=' as the very last character is legitimate padding.
            if (bad == '=' && pos == valid.size() - 1) continue;
            auto text = valid;
            text[pos] = static_cast<char>(bad);
            if (base64_decode(text) || base64_detail::scalar_base64_decode(text)) {
                INFO("byte " << int{bad} << " at " << pos);
                CHECK_FALSE(base64_decode(text).has_value());
                CHECK_FALSE(base64_detail::scalar_base64_decode(text).has_value());
            }
        }
    }
}

TEST_CASE("base64 decoding maps every byte value in every lane like the scalar code",
          "[unit][crypto]") {
    // Every byte value at each of the first 64 positions (two vector blocks: every lane twice)
    // and in the tail: valid characters must decode exactly as the scalar loop does, anything
    // else must fail on both paths.
    const auto valid = base64_encode(test_bytes(150));
    int mismatches = 0;
    for (std::size_t pos = 0; pos < valid.size(); pos = pos < 64 ? pos + 1 : pos + 37) {
        for (int c = 0; c < 256; ++c) {
            auto text = valid;
            text[pos] = static_cast<char>(c);
            const auto ours = base64_decode(text);
            const auto scalar = base64_detail::scalar_base64_decode(text);
            const bool should_decode = in_alphabet(static_cast<unsigned char>(c));
            if (ours != scalar || ours.has_value() != should_decode) {
                if (++mismatches <= 5) {
                    INFO("byte " << c << " at " << pos);
                    CHECK(ours == scalar);
                    CHECK(ours.has_value() == should_decode);
                }
            }
        }
    }
    CHECK(mismatches == 0);
}

TEST_CASE("base64 decoding rejects misplaced padding on both paths", "[unit][crypto]") {
    const auto body = base64_encode(test_bytes(96)); // 128 characters: four vector blocks
    for (std::string text : {
             std::string("Zg=a"),
             std::string("Z=g="),
             std::string("=Zg="),
             std::string("Z==="),
             std::string("===="),
             std::string("Zg==Zg=="),
             std::string("Zg===="),
             std::string("Zg="),
             std::string("Zg"),
             std::string("Zg==="),
             body + "Zg=a",
             body + "Z===",
             body.substr(0, 60) + "==" + body.substr(62), // padding inside a vector block
             body.substr(0, 62) + "==" + body.substr(64) + "Zg==",
             body + "=",
             body + "==",
             body + "===",
             "Zg==" + body,
         }) {
        INFO(text);
        CHECK_FALSE(base64_decode(text).has_value());
        CHECK_FALSE(base64_detail::scalar_base64_decode(text).has_value());
    }
    // The accepted forms, after a vector-sized body.
    CHECK(base64_decode(body + "Zg==") == test_bytes(96) + "f");
    CHECK(base64_decode(body + "Zm8=") == test_bytes(96) + "fo");
    CHECK(base64_detail::scalar_base64_decode(body + "Zm8=") == test_bytes(96) + "fo");
    CHECK(base64_decode("") == std::string());
    CHECK(base64_detail::scalar_base64_decode("") == std::string());
}

TEST_CASE("constant-time compare tells equal from unequal", "[unit][crypto]") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
}
