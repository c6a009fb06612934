// Fuzzes the WeChat/WeCom XML reader (bot/channels/wechat_xml.cpp) on arbitrary bytes: no crash;
// what it accepts is text XML can carry; the fast flat reader agrees with the pugixml one whenever
// it accepts a body; to_inbound never fails badly; a text reply reads back as written.
#include "bot/channels/wechat_xml.hpp"
#include "common/utf8.hpp"
#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace daiban;
using namespace daiban::bot::channels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body(reinterpret_cast<const char*>(data), size);

    const auto parsed = parse_wechat_xml(body);
    if (parsed) {
        // Every value is valid UTF-8 without the control characters XML 1.0 forbids, even when
        // it came through a character reference (&#0; &#xD800;).
        for (const auto& [path, value] : parsed->entries()) {
            FUZZ_CHECK(!path.empty());
            FUZZ_CHECK(is_xml_text(value));
            FUZZ_CHECK(utf8::valid(value));
        }
        for (auto flavor : {wechat_flavor::official_account, wechat_flavor::wecom}) {
            std::string detail;
            const auto in = to_inbound(*parsed, body, "demo", flavor, &detail);
            if (in) {
                FUZZ_CHECK(!in->user.empty() && !in->account.empty() && !in->msg_type.empty());
                FUZZ_CHECK(in->turn.chat.id == in->user);
                FUZZ_CHECK(!in->turn.id.empty());
            }
        }
    }

    // The flat reader is only a shortcut: when it accepts a body (that passed the size and text
    // checks), the DOM reader reads exactly the same fields.
    if (body.size() <= default_max_xml_bytes && is_xml_text(body)) {
        if (const auto flat = detail::parse_flat_xml(body)) {
            const auto dom = detail::parse_xml_dom(body);
            FUZZ_CHECK(dom);
            FUZZ_CHECK(dom->entries() == flat->entries());
        }
    } else {
        FUZZ_CHECK(!parsed);
    }

    // Replies: whatever the content, the reply is XML we read back; text XML can carry (and no
    // CR, which XML normalises to LF) reads back unchanged.
    if (body.size() <= 4096) {
        const std::string xml = text_reply_xml("oUser", "gh_account", 1700000000, body);
        const auto back = parse_wechat_xml(xml, 1 << 20);
        FUZZ_CHECK(back);
        if (is_xml_text(body) && body.find('\r') == std::string_view::npos)
            FUZZ_CHECK(back->get("Content") == body);
        FUZZ_CHECK(back->get("ToUserName") == "oUser");
        FUZZ_CHECK(back->get("MsgType") == "text");
    }
    return 0;
}
