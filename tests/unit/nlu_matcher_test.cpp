// Unit: the Aho-Corasick matcher behind service and village recognition.
#include "bot/nlu/matcher.hpp"
#include "common/utf8.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace daiban::bot::nlu;

TEST_CASE("finds every key — overlapping ones too", "[unit][nlu]") {
    matcher m;
    m.add(daiban::utf8::decode("低保"), 1);
    m.add(daiban::utf8::decode("申请低保"), 2);
    m.add(daiban::utf8::decode("社保卡"), 3);
    m.add(daiban::utf8::decode("保卡"), 4);
    m.build();
    auto hits = m.find_all(daiban::utf8::decode("我想申请低保和社保卡"));
    std::vector<int> values;
    for (auto& h : hits)
        values.push_back(h.value);
    CHECK(values == std::vector<int>{2, 1, 3, 4});
    CHECK(hits[0].begin == 2);
    CHECK(hits[0].end == 6);
    CHECK(m.find_all(daiban::utf8::decode("什么都没有")).empty());
}

TEST_CASE("builds fast for a large catalogue", "[unit][nlu]") {
    matcher m;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 5000; ++i) {
        std::u32string key = U"服务事项";
        for (int k = i; k > 0; k /= 7)
            key.push_back(U'0' + static_cast<char32_t>(k % 7));
        m.add(key, i);
    }
    m.build();
    const auto ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    CHECK(ms < 500); // generous: sanitizer builds are slow
    // key 7 is 服务事项 + the base-7 digits of 7, least significant first: "01"
    auto hits = m.find_all(U"我要办服务事项01");
    bool found = false;
    for (auto& h : hits)
        found = found || h.value == 7;
    CHECK(found);
}
