// Unit: the replies a bridge reads (hook response) and a WeChat retry is answered with are
// written without a DOM (bot/json_text.hpp); a real parser must read back exactly what was said.
#include "bot/json_text.hpp"
#include "bot/replies/codec.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using daiban::bot::append_json_string;
using nlohmann::json;

namespace {
std::string as_json(std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
}
} // namespace

TEST_CASE("JSON strings escape what JSON requires and keep Chinese as it is", "[unit][json]") {
    CHECK(as_json("您好，请拍身份证") == "\"您好，请拍身份证\"");
    CHECK(as_json("a\"b\\c") == R"("a\"b\\c")");
    CHECK(as_json("line1\nline2\t\r") == R"("line1\nline2\t\r")");
    CHECK(as_json(std::string("\x01\x1f", 2)) == R"("\u0001\u001f")");
    CHECK(as_json("😀 4-byte") == "\"😀 4-byte\"");
    // Bytes that are not UTF-8 become U+FFFD: the output always parses.
    CHECK(as_json("ok\xff") == "\"ok\xEF\xBF\xBD\"");
    CHECK(as_json("\xE4\xBD") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                 // truncated 您
    CHECK(as_json("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");                 // overlong '/'
    CHECK(as_json("\xED\xA0\x80") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); // surrogate
    for (std::string s : {std::string("\xF4\x90\x80\x80"), std::string("x\xE4\xBD\xA0\xff\"\n")})
        CHECK(json::parse(as_json(s)).is_string());
}

TEST_CASE("replies written for the wire read back field for field", "[unit][json]") {
    using namespace daiban::model;
    std::vector<reply> replies(3);
    replies[0].chat = {chat_kind::private_chat, "u_1"};
    replies[0].text = "好的，\"低保\"需要：\n1. 身份证";
    replies[1].chat = {chat_kind::group, "g_hhl"};
    replies[1].text = "新代办件";
    replies[1].mention = {"u_agent_1", "u_agent_2"};
    replies[2].chat = {chat_kind::private_chat, "u_1"};
    replies[2].news = reply::article{"办事指南", "点开看", "https://example.cn/a?x=1&y=2", ""};
    replies[2].image_media_id = "MEDIA_1";

    const auto text = daiban::bot::replies::encode_replies(replies);
    const auto j = json::parse(text); // throws (fails the test) on invalid JSON
    REQUIRE(j.size() == 3);
    CHECK(j[0]["chat"] == json{{"type", "private"}, {"id", "u_1"}});
    CHECK(j[0]["text"] == replies[0].text);
    CHECK(j[0]["mention"] == json::array());
    CHECK(j[1]["chat"]["type"] == "group");
    CHECK(j[1]["mention"] == json{"u_agent_1", "u_agent_2"});
    CHECK(j[2]["news"]["url"] == "https://example.cn/a?x=1&y=2");
    CHECK(j[2]["image_media_id"] == "MEDIA_1");

    const auto back = daiban::bot::replies::decode_replies(text);
    REQUIRE(back.size() == 3);
    CHECK(back[0].text == replies[0].text);
    CHECK(back[1].chat.kind == chat_kind::group);
    CHECK(back[1].mention == replies[1].mention);
    REQUIRE(back[2].news.has_value());
    CHECK(back[2].news->title == "办事指南");
    CHECK(back[2].image_media_id == std::optional<std::string>("MEDIA_1"));
    CHECK(daiban::bot::replies::encode_replies({}) == "[]");
}

TEST_CASE("a reply's chosen channel survives the stored copy and is absent when not chosen",
          "[unit][json]") {
    using namespace daiban::model;
    std::vector<reply> replies(2);
    replies[0].chat = {chat_kind::private_chat, "o_resident"};
    replies[0].text = "您的申请已办结";
    replies[0].channel = "wechat";
    replies[1].chat = {chat_kind::private_chat, "u_agent"};
    replies[1].text = "好的";
    const auto text = daiban::bot::replies::encode_replies(replies);
    const auto j = json::parse(text);
    CHECK(j[0]["channel"] == "wechat");
    CHECK_FALSE(j[1].contains("channel"));
    const auto back = daiban::bot::replies::decode_replies(text);
    REQUIRE(back.size() == 2);
    CHECK(back[0].channel == "wechat");
    CHECK(back[1].channel.empty());
}
