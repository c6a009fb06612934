// Unit: NLU normalisation — what residents type (full-width digits, Traditional, emoji) reads
// like plain Simplified text, and replies can go back in Traditional.
#include "bot/nlu/normalize.hpp"
#include "common/utf8.hpp"

#include <catch2/catch.hpp>

using namespace daiban::bot::nlu;

namespace {
std::string norm(std::string_view s) {
    return daiban::utf8::encode(normalize(s).text);
}
} // namespace

TEST_CASE("full-width digits and letters become ASCII", "[unit][nlu]") {
    CHECK(norm("转了１２０元") == "转了120元");
    CHECK(norm("３：３０ＰＭ") == "3:30pm");
}

TEST_CASE("Traditional is converted and remembered", "[unit][nlu]") {
    auto n = normalize("幫我補辦戶口本");
    CHECK(daiban::utf8::encode(n.text) == "帮我补办户口本");
    CHECK(n.traditional);
    CHECK_FALSE(normalize("帮我补办户口本").traditional);
    CHECK(to_traditional("帮我补办户口本") == "幫我補辦戶口本");
    CHECK(to_simplified("醫療報銷") == "医疗报销");
}

TEST_CASE("emoji — emoticon codes and punctuation are folded", "[unit][nlu]") {
    CHECK(norm("着火了🔥🔥，村东头！！") == "着火了 村东头");
    CHECK(norm("[捂脸]进度怎么样了？") == "进度怎么样了");
    CHECK(norm("  下午   3点 ") == "下午 3点");
    CHECK(norm("15:30") == "15:30");
    CHECK(norm("876.5元") == "876.5元");
    CHECK(norm("@代办助手 接单 12") == "接单 12");
}

TEST_CASE("any bytes are accepted and long text is capped", "[unit][nlu]") {
    std::string junk;
    for (int i = 0; i < 5000; ++i)
        junk.push_back(static_cast<char>((i * 37) & 0xFF));
    auto n = normalize(junk);
    CHECK(n.text.size() <= max_text_bytes);
    CHECK(normalize("\xE4\xBD").text.empty()); // a cut-off character is dropped
}
