// Unit: the primitives under every signature check (known answers from RFC 4231 / FIPS 180).
#include "bot/channels/crypto.hpp"

#include <catch2/catch.hpp>

using namespace daiban::bot::channels;

TEST_CASE("hashes and HMAC match published answers", "[unit][crypto]") {
    CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
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
}

TEST_CASE("constant-time compare tells equal from unequal", "[unit][crypto]") {
    CHECK(constant_time_equal("abc", "abc"));
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
}
