// Unit: the primitives under every signature check (known answers from RFC 4231 / FIPS 180).
#include "bot/channels/crypto.hpp"

#include <catch2/catch.hpp>
#include <openssl/evp.h>

using namespace daiban::bot::channels;

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

TEST_CASE("base64 agrees with OpenSSL on every byte value and every tail length",
          "[unit][crypto]") {
    // OpenSSL's EVP_EncodeBlock is an independent implementation of RFC 4648 to compare with.
    std::string bytes;
    for (int i = 0; i < 256 * 3 + 2; ++i)
        bytes += static_cast<char>((i * 167 + i / 256) & 0xff);
    for (std::size_t len : {0, 1, 2, 3, 4, 5, 255, 256, 257, 770}) {
        const auto in = bytes.substr(0, len);
        std::string theirs(4 * ((len + 2) / 3) + 1, '\0');
        const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(theirs.data()),
                                      reinterpret_cast<const unsigned char*>(in.data()),
                                      static_cast<int>(len));
        theirs.resize(static_cast<std::size_t>(n));
        CHECK(base64_encode(in) == theirs);
        CHECK(base64_decode(theirs) == in);
        std::string appended = "<x>";
        append_base64(appended, in);
        CHECK(appended == "<x>" + theirs);
    }
}

TEST_CASE("constant-time compare tells equal from unequal", "[unit][crypto]") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
}
