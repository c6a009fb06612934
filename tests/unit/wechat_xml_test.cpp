// Unit: WeChat / WeCom callback XML: every inbound message and event type becomes the right
// turn, hostile or broken XML is refused without a crash, and replies are valid XML that reads
// back as what the handler said.
#include "bot/channels/crypto.hpp"
#include "bot/channels/wechat_xml.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace daiban::bot::channels;
using daiban::model::chat_kind;
using daiban::model::turn_kind;

namespace {

std::string oa(std::string_view type_and_fields, std::string_view msg_id = "6054768590064713728") {
    std::string x = "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>"
                    "<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>"
                    "<CreateTime>1409735668</CreateTime>";
    x += type_and_fields;
    if (!msg_id.empty()) x += "<MsgId>" + std::string(msg_id) + "</MsgId>";
    x += "</xml>";
    return x;
}

// 1 to `max_edits` random single-byte edits (replace, insert or delete) drawn from `alphabet`.
void mutate(std::string& s, std::mt19937& rng, const std::string& alphabet, int max_edits) {
    const int edits = 1 + static_cast<int>(rng() % static_cast<unsigned>(max_edits));
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const auto pos = rng() % s.size();
        const char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
        case 0:
            s[pos] = c;
            break;
        case 1:
            s.insert(pos, 1, c);
            break;
        default:
            s.erase(pos, 1);
            break;
        }
    }
}

std::string event(std::string_view name, std::string_view extra = {}) {
    return oa("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[" + std::string(name) +
                  "]]></Event>" + std::string(extra),
              {});
}

inbound_message in(const std::string& xml, wechat_flavor f = wechat_flavor::official_account) {
    std::string detail;
    auto m = parse_inbound(xml, "demo", f, &detail);
    INFO(xml << " -> " << (m ? std::string("ok") : m.error().message() + " " + detail));
    REQUIRE(m.has_value());
    return *m;
}

boost::system::error_code fails(const std::string& xml, std::string* detail = nullptr) {
    auto m = parse_inbound(xml, "demo", wechat_flavor::official_account, detail);
    REQUIRE_FALSE(m.has_value());
    return m.error();
}

} // namespace

TEST_CASE("text message: the documented example", "[unit][wechat]") {
    const auto m =
        in(oa("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content>"));
    CHECK(m.turn.tenant == "demo");
    CHECK(m.turn.channel == "wechat");
    CHECK(m.turn.kind == turn_kind::text);
    CHECK(m.turn.text == "abcdteT");
    CHECK(m.turn.id == "6054768590064713728");
    CHECK(m.turn.time == 1409735668);
    CHECK(m.turn.chat.kind == chat_kind::private_chat);
    CHECK(m.turn.chat.id == "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    CHECK(m.turn.from_id == "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    CHECK(m.account == "gh_10f6c3c3ac5a");
    CHECK(m.user == "oyORnuP8q7ou2gfYjqLzSIWZf0rs");
    CHECK_FALSE(m.turn.event.has_value());
}

TEST_CASE("text with emoji — escapes — newlines between elements and no CDATA", "[unit][wechat]") {
    const auto m = in("<xml>\n<ToUserName>gh_x</ToUserName>\n<FromUserName>oU</FromUserName>\n"
                      "<CreateTime>1</CreateTime>\n<MsgType>text</MsgType>\n"
                      "<Content>a &lt;b&gt; &amp; 😀\n二行</Content>\n<MsgId>7</MsgId>\n</xml>\n");
    CHECK(m.turn.text == "a <b> & 😀\n二行");
    CHECK(m.turn.id == "7");
}

TEST_CASE("image: PicUrl and MediaId", "[unit][wechat]") {
    const auto m = in(oa("<MsgType><![CDATA[image]]></MsgType>"
                         "<PicUrl><![CDATA[http://mmbiz.qpic.cn/x.jpg]]></PicUrl>"
                         "<MediaId><![CDATA[media_1]]></MediaId>"));
    CHECK(m.turn.kind == turn_kind::image);
    REQUIRE(m.turn.media.has_value());
    CHECK(m.turn.media->url == "http://mmbiz.qpic.cn/x.jpg");
    CHECK(m.turn.media->media_id == "media_1");
}

TEST_CASE("voice: Recognition becomes the text", "[unit][wechat]") {
    const auto m = in(oa("<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[v1]]></MediaId>"
                         "<Format><![CDATA[amr]]></Format>"
                         "<Recognition><![CDATA[我想办二次救助]]></Recognition>"));
    CHECK(m.turn.kind == turn_kind::voice);
    CHECK(m.turn.text == "我想办二次救助");
    REQUIRE(m.turn.media.has_value());
    CHECK(m.turn.media->media_id == "v1");
    CHECK(m.turn.media->mime == "audio/amr");
    // Without recognition there is no text, only the media.
    const auto bare = in(oa("<MsgType>voice</MsgType><MediaId>v2</MediaId><Format>speex</Format>"));
    CHECK(bare.turn.text.empty());
    CHECK(bare.turn.media->media_id == "v2");
}

TEST_CASE("video and shortvideo", "[unit][wechat]") {
    for (std::string type : {"video", "shortvideo"}) {
        const auto m = in(oa("<MsgType>" + type +
                             "</MsgType><MediaId>m9</MediaId>"
                             "<ThumbMediaId>t9</ThumbMediaId>"));
        CHECK(m.turn.kind == turn_kind::video);
        CHECK(m.turn.media->media_id == "m9");
        CHECK(m.msg_type == type);
    }
}

TEST_CASE("location: X is latitude — Y longitude", "[unit][wechat]") {
    const auto m = in(oa("<MsgType>location</MsgType><Location_X>42.0871</Location_X>"
                         "<Location_Y>123.2404</Location_Y><Scale>15</Scale>"
                         "<Label><![CDATA[法库镇便民服务中心]]></Label>"));
    CHECK(m.turn.kind == turn_kind::location);
    REQUIRE(m.turn.location.has_value());
    CHECK(m.turn.location->lat == Approx(42.0871));
    CHECK(m.turn.location->lng == Approx(123.2404));
    CHECK(m.turn.location->label == "法库镇便民服务中心");
}

TEST_CASE("link", "[unit][wechat]") {
    const auto m = in(oa("<MsgType>link</MsgType><Title><![CDATA[办事指南]]></Title>"
                         "<Description><![CDATA[d]]></Description>"
                         "<Url><![CDATA[https://example.com/a]]></Url>"));
    CHECK(m.turn.kind == turn_kind::link);
    CHECK(m.turn.text == "办事指南");
    CHECK(m.turn.media->url == "https://example.com/a");
}

TEST_CASE("subscribe: plain and through a village QR code", "[unit][wechat]") {
    const auto plain = in(event("subscribe"));
    CHECK(plain.turn.kind == turn_kind::event);
    REQUIRE(plain.turn.event.has_value());
    CHECK(plain.turn.event->name == "subscribe");
    CHECK(plain.turn.event->key.empty());
    CHECK(plain.event == "subscribe");

    const auto qr = in(event("subscribe", "<EventKey><![CDATA[qrscene_village:hhl]]></EventKey>"
                                          "<Ticket><![CDATA[TICKET]]></Ticket>"));
    CHECK(qr.turn.event->name == "subscribe");
    CHECK(qr.turn.event->key == "village:hhl");
}

TEST_CASE("unsubscribe — SCAN — CLICK — VIEW", "[unit][wechat]") {
    CHECK(in(event("unsubscribe")).turn.event->name == "unsubscribe");

    const auto scan = in(event("SCAN", "<EventKey>village:hhl</EventKey><Ticket>T</Ticket>"));
    CHECK(scan.turn.event->name == "scan");
    CHECK(scan.turn.event->key == "village:hhl");

    const auto click = in(event("CLICK", "<EventKey><![CDATA[CASE_NEW]]></EventKey>"));
    CHECK(click.turn.event->name == "menu");
    CHECK(click.turn.event->key == "CASE_NEW");

    const auto view = in(event("VIEW", "<EventKey>https://example.com/guide</EventKey>"
                                       "<MenuId>3</MenuId>"));
    CHECK(view.turn.event->name == "view");
    CHECK(view.turn.event->key == "https://example.com/guide");
}

TEST_CASE("LOCATION report carries the position", "[unit][wechat]") {
    const auto m = in(event("LOCATION", "<Latitude>23.137466</Latitude>"
                                        "<Longitude>113.352425</Longitude>"
                                        "<Precision>119.385040</Precision>"));
    CHECK(m.turn.event->name == "location");
    REQUIRE(m.turn.location.has_value());
    CHECK(m.turn.location->lat == Approx(23.137466));
    CHECK(m.turn.location->lng == Approx(113.352425));
}

TEST_CASE("menu scan / photo / location-select events", "[unit][wechat]") {
    // The documented scancode_push example, nested ScanCodeInfo included.
    const auto push =
        in("<xml><ToUserName><![CDATA[gh_e136c6e50636]]></ToUserName>\n"
           "<FromUserName><![CDATA[oMgHVjngRipVsoxg6TuX3vz6glDg]]></FromUserName>\n"
           "<CreateTime>1408090502</CreateTime><MsgType><![CDATA[event]]></MsgType>\n"
           "<Event><![CDATA[scancode_push]]></Event><EventKey><![CDATA[6]]></EventKey>\n"
           "<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
           "<ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo>\n</xml>");
    CHECK(push.turn.event->name == "scancode_push");
    CHECK(push.turn.event->key == "6");
    CHECK(push.turn.text == "1");

    const auto wait = in(event(
        "scancode_waitmsg", "<EventKey>rselfmenu_0_0</EventKey><ScanCodeInfo><ScanType>qrcode"
                            "</ScanType><ScanResult>FK-20261118-0003</ScanResult></ScanCodeInfo>"));
    CHECK(wait.turn.event->name == "scancode_waitmsg");
    CHECK(wait.turn.text == "FK-20261118-0003");

    for (std::string pic : {"pic_sysphoto", "pic_photo_or_album", "pic_weixin"}) {
        const auto m = in(event(pic, "<EventKey>rselfmenu_1_1</EventKey><SendPicsInfo><Count>2"
                                     "</Count><PicList><item><PicMd5Sum>a1</PicMd5Sum></item>"
                                     "<item><PicMd5Sum>b2</PicMd5Sum></item></PicList>"
                                     "</SendPicsInfo>"));
        CHECK(m.turn.event->name == pic);
        CHECK(m.turn.event->key == "rselfmenu_1_1");
    }

    const auto sel = in(event("location_select",
                              "<EventKey>rselfmenu_2_0</EventKey><SendLocationInfo>"
                              "<Location_X>42.08</Location_X><Location_Y>123.24</Location_Y>"
                              "<Scale>15</Scale><Label><![CDATA[]]></Label>"
                              "<Poiname><![CDATA[黄花岭村委会]]></Poiname></SendLocationInfo>"));
    CHECK(sel.turn.event->name == "location_select");
    REQUIRE(sel.turn.location.has_value());
    CHECK(sel.turn.location->lat == Approx(42.08));
    CHECK(sel.turn.location->label == "黄花岭村委会");
}

TEST_CASE("TEMPLATESENDJOBFINISH becomes a delivery report", "[unit][wechat]") {
    const auto m =
        in(event("TEMPLATESENDJOBFINISH", "<MsgID>200163836</MsgID>"
                                          "<Status><![CDATA[failed:user block]]></Status>"));
    CHECK(m.turn.event->name == "template_finish");
    CHECK(m.turn.event->key == "200163836");
    REQUIRE(m.report.has_value());
    CHECK(m.report->msg_id == "200163836");
    CHECK(m.report->status == "failed:user block");
}

TEST_CASE("unknown events keep their name and unknown message types are unsupported",
          "[unit][wechat]") {
    CHECK(in(event("kf_close_session")).turn.event->name == "kf_close_session");
    std::string detail;
    CHECK(fails(oa("<MsgType>miniprogrampage</MsgType><Title>t</Title>"), &detail) ==
          wechat_errc::unsupported_message);
    CHECK(detail == "miniprogrampage");
}

TEST_CASE("event ids: a retry repeats — a different event differs", "[unit][wechat]") {
    const auto a = event("CLICK", "<EventKey>CASE_NEW</EventKey>");
    const auto b = event("CLICK", "<EventKey>CASE_QUERY</EventKey>");
    const auto id = in(a).turn.id;
    CHECK(id.starts_with("ev:"));
    CHECK(id == "ev:" + sha1_hex(a));
    CHECK(in(a).turn.id == id);
    CHECK(in(b).turn.id != id);
}

TEST_CASE("WeCom: documented message with AgentID — lower-case menu events", "[unit][wechat]") {
    const auto m =
        in("<xml>\n  <ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n"
           "  <FromUserName><![CDATA[mycreate]]></FromUserName>\n"
           "  <CreateTime>1409659813</CreateTime>\n  <MsgType><![CDATA[text]]></MsgType>\n"
           "  <Content><![CDATA[hello]]></Content>\n  <MsgId>4561255354251345929</MsgId>\n"
           "  <AgentID>218</AgentID>\n</xml>",
           wechat_flavor::wecom);
    CHECK(m.turn.channel == "wecom");
    CHECK(m.agent_id == "218");
    CHECK(m.account == "wx5823bf96d3bd56c7");
    CHECK(m.turn.chat.id == "mycreate");
    CHECK(m.turn.text == "hello");

    const auto click = in("<xml><ToUserName>ww1</ToUserName><FromUserName>lisi</FromUserName>"
                          "<CreateTime>1</CreateTime><MsgType>event</MsgType><Event>click</Event>"
                          "<EventKey>AGENT_LIST</EventKey><AgentID>1000002</AgentID></xml>",
                          wechat_flavor::wecom);
    CHECK(click.turn.event->name == "menu");
    CHECK(click.turn.event->key == "AGENT_LIST");
    CHECK(in("<xml><ToUserName>ww1</ToUserName><FromUserName>lisi</FromUserName><CreateTime>1"
             "</CreateTime><MsgType>event</MsgType><Event>enter_agent</Event><AgentID>1</AgentID>"
             "</xml>",
             wechat_flavor::wecom)
              .turn.event->name == "enter_agent");
}

TEST_CASE("missing and malformed fields are named", "[unit][wechat]") {
    std::string detail;
    CHECK(fails("<xml><ToUserName>gh</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType>"
                "<Content>x</Content></xml>",
                &detail) == wechat_errc::missing_field);
    CHECK(detail == "FromUserName");
    CHECK(fails(oa("<MsgType>text</MsgType>"), &detail) == wechat_errc::missing_field);
    CHECK(detail == "Content");
    CHECK(fails(oa("<MsgType>image</MsgType>"), &detail) == wechat_errc::missing_field);
    CHECK(fails(oa("<MsgType>event</MsgType>"), &detail) == wechat_errc::missing_field);
    CHECK(detail == "Event");
    CHECK(fails(oa("<MsgType>location</MsgType><Location_X>north</Location_X>"
                   "<Location_Y>1</Location_Y>"),
                &detail) == wechat_errc::bad_field);
    CHECK(detail == "Location_X");
    CHECK(fails("<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName>"
                "<CreateTime>soon</CreateTime><MsgType>text</MsgType><Content>x</Content></xml>",
                &detail) == wechat_errc::bad_field);
    CHECK(detail == "CreateTime");
    CHECK(fails(event("TEMPLATESENDJOBFINISH", "<Status>success</Status>"), &detail) ==
          wechat_errc::missing_field);
    CHECK(detail == "MsgID");
}

TEST_CASE("DOCTYPE — entities and other declarations are refused before parsing",
          "[unit][wechat]") {
    CHECK(
        fails("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
              "<xml><ToUserName>&xxe;</ToUserName></xml>") == wechat_errc::xml_doctype);
    CHECK(fails("<!DOCTYPE xml><xml/>") == wechat_errc::xml_doctype);
    CHECK(fails("<xml><!ENTITY a \"b\"></xml>") == wechat_errc::xml_doctype);
    // Billion laughs never gets to pugixml either.
    CHECK(fails("<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
                "<xml><Content>&lol2;</Content></xml>") == wechat_errc::xml_doctype);
    // The same words inside CDATA or a comment are just text.
    const auto m = in(oa("<!-- <!DOCTYPE in a comment --><MsgType>text</MsgType>"
                         "<Content><![CDATA[<!DOCTYPE html> 是什么]]></Content>"));
    CHECK(m.turn.text == "<!DOCTYPE html> 是什么");
    // An unknown entity reference is not expanded (pugixml leaves it as text), never resolved.
    CHECK(in(oa("<MsgType>text</MsgType><Content>&xxe;</Content>")).turn.text == "&xxe;");
}

TEST_CASE("oversized — non-UTF-8 and structurally wrong XML", "[unit][wechat]") {
    const std::string big =
        oa("<MsgType>text</MsgType><Content>" + std::string(70'000, 'a') + "</Content>");
    CHECK(fails(big) == wechat_errc::xml_too_large);
    CHECK(parse_wechat_xml(big, 100'000).has_value()); // the cap is a parameter

    CHECK(fails(oa("<MsgType>text</MsgType><Content>\xff\xfe</Content>")) ==
          wechat_errc::xml_not_utf8);
    CHECK(fails(oa("<MsgType>text</MsgType><Content>\xc0\xaf</Content>")) == // overlong '/'
          wechat_errc::xml_not_utf8);
    CHECK(fails(oa("<MsgType>text</MsgType><Content>\xed\xa0\x80</Content>")) == // surrogate
          wechat_errc::xml_not_utf8);
    CHECK(fails(oa(std::string("<MsgType>text</MsgType><Content>a\0b</Content>", 45))) ==
          wechat_errc::xml_not_utf8);
    // Character references cannot smuggle what the raw check refuses.
    CHECK(fails(oa("<MsgType>text</MsgType><Content>a&#1;b</Content>")) ==
          wechat_errc::xml_not_utf8);
    CHECK(fails(oa("<MsgType>text</MsgType><Content>a&#xD800;b</Content>")) ==
          wechat_errc::xml_not_utf8);

    CHECK(fails("") == wechat_errc::xml_malformed);
    CHECK(fails("success") == wechat_errc::xml_malformed);
    CHECK(fails("{\"ToUserName\":\"gh\"}") == wechat_errc::xml_malformed);
    CHECK(fails("<root><ToUserName>gh</ToUserName></root>") == wechat_errc::xml_malformed);
    CHECK(fails("<xml></xml><xml></xml>") == wechat_errc::xml_malformed);
    CHECK(fails("<xml><a></xml>") == wechat_errc::xml_malformed);
    CHECK(fails("junk<xml></xml>") == wechat_errc::xml_malformed);
    CHECK(fails(oa("<MsgType>text</MsgType><Content>x</Content>") + "junk") ==
          wechat_errc::xml_malformed);
    std::string deep = "<xml>";
    for (int i = 0; i < 50; ++i)
        deep += "<a>";
    for (int i = 0; i < 50; ++i)
        deep += "</a>";
    CHECK(fails(deep + "</xml>") == wechat_errc::xml_malformed);
}

TEST_CASE("every truncation of a valid message is refused", "[unit][wechat]") {
    const auto xml = oa("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[办理]]></Content>");
    REQUIRE(parse_inbound(xml, "demo", wechat_flavor::official_account).has_value());
    for (std::size_t n = 0; n < xml.size(); ++n) {
        INFO(n);
        CHECK_FALSE(
            parse_inbound(xml.substr(0, n), "demo", wechat_flavor::official_account).has_value());
    }
}

TEST_CASE("random mutations never crash and never yield a turn without a sender",
          "[unit][wechat]") {
    const std::vector<std::string> seeds = {
        oa("<MsgType>text</MsgType><Content><![CDATA[我要代办]]></Content>"),
        event("subscribe", "<EventKey>qrscene_village:hhl</EventKey>"),
        event("pic_weixin", "<SendPicsInfo><PicList><item><PicMd5Sum>a</PicMd5Sum></item>"
                            "</PicList></SendPicsInfo>")};
    std::mt19937 rng(20261118);
    const std::string alphabet = "<>/![]&;#x\"' =CDATA\xe4\xb8\x80\xff\n";
    int accepted = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string s = seeds[static_cast<std::size_t>(i) % seeds.size()];
        mutate(s, rng, alphabet, 4);
        auto m = parse_inbound(s, "demo", wechat_flavor::official_account);
        if (m) {
            ++accepted;
            CHECK_FALSE(m->user.empty());
            CHECK_FALSE(m->turn.id.empty());
        }
    }
    // Many single-byte edits land in values and leave a valid message: the parser is not
    // rejecting everything.
    CHECK(accepted > 100);
}

TEST_CASE("the DOM-free reader takes the usual messages and reads them as pugixml does",
          "[unit][wechat]") {
    using detail::parse_flat_xml;
    using detail::parse_xml_dom;
    const std::vector<std::string> usual = {
        oa("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我妈住院了]]></Content>"),
        oa("<MsgType>text</MsgType>\n  <Content>no CDATA here</Content>\n"),
        event("CLICK", "<EventKey><![CDATA[progress]]></EventKey>"),
        "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[abc+/=]]></Encrypt>"
        "</xml>",
        "  <xml></xml>\n",
        "<xml><Empty></Empty><Content><![CDATA[]]></Content></xml>"};
    for (const auto& x : usual) {
        INFO(x);
        const auto flat = parse_flat_xml(x);
        REQUIRE(flat.has_value());
        const auto dom = parse_xml_dom(x);
        REQUIRE(dom.has_value());
        CHECK(flat->entries() == dom->entries());
    }
    // Shapes it leaves to pugixml: nesting, entities, CR, whitespace-only text, attributes,
    // comments, declarations, split CDATA, a root with attributes.
    for (std::string x :
         {event("pic_weixin", "<SendPicsInfo><Count>1</Count></SendPicsInfo>"),
          std::string("<xml><A>a &amp; b</A></xml>"), std::string("<xml><A>a\r\nb</A></xml>"),
          std::string("<xml><A>  </A></xml>"), std::string("<xml><A x=\"1\">v</A></xml>"),
          std::string("<xml><!-- c --><A>v</A></xml>"),
          std::string("<?xml version=\"1.0\"?><xml></xml>"),
          std::string("<xml><A><![CDATA[a]]]]><![CDATA[>b]]></A></xml>"),
          std::string("<xml a=\"1\"><A>v</A></xml>"), std::string("<xml><A>v</B></xml>"),
          std::string("<xml><A>v</A>junk</xml>"), std::string("<xml><A>v</A></xml>junk")}) {
        INFO(x);
        CHECK_FALSE(parse_flat_xml(x).has_value());
    }
    // Differential check on thousands of mutants: whatever the fast reader accepts, the DOM reader
    // accepts too, with the same fields in the same order.
    std::mt19937 rng(20261122);
    const std::string alphabet = "<>/![]&;#x\"' =CDATA\xe4\xb8\x80\r\n\t";
    int compared = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string s = usual[static_cast<std::size_t>(i) % usual.size()];
        mutate(s, rng, alphabet, 3);
        if (!is_xml_text(s)) continue; // parse_wechat_xml refuses these before either reader
        const auto flat = parse_flat_xml(s);
        if (!flat) continue;
        ++compared;
        INFO(s);
        const auto dom = parse_xml_dom(s);
        REQUIRE(dom.has_value());
        CHECK(flat->entries() == dom->entries());
    }
    CHECK(compared > 1000); // the comparison covered many accepted mutants, not a handful
}

TEST_CASE("text reply: fields swapped — seconds — a CDATA end marker kept valid",
          "[unit][wechat]") {
    const std::string content = "见 a[i]]>b 与 ]]> 以及 ]]]]>\n第二行 😀";
    const auto x = text_reply_xml("oUser", "gh_x", 1700000000, content);
    auto f = parse_wechat_xml(x);
    REQUIRE(f.has_value());
    CHECK(f->get("ToUserName") == "oUser");
    CHECK(f->get("FromUserName") == "gh_x");
    CHECK(f->get("CreateTime") == "1700000000");
    CHECK(f->get("MsgType") == "text");
    CHECK(f->get("Content") == content);
    CHECK(x.starts_with("<xml><ToUserName><![CDATA[oUser]]></ToUserName>"));
}

TEST_CASE("text reply drops what XML cannot carry", "[unit][wechat]") {
    auto f = parse_wechat_xml(text_reply_xml("o", "gh", 1,
                                             std::string("a\x01"
                                                         "b\xff"
                                                         "c\0d",
                                                         7)));
    REQUIRE(f.has_value());
    CHECK(f->get("Content") == "abcd");
}

TEST_CASE("news and image replies", "[unit][wechat]") {
    daiban::model::reply r;
    r.text = "fallback";
    r.news =
        daiban::model::reply::article{"医疗救助办事指南", "材料与流程",
                                      "https://example.com/g?a=1&b=2", "https://example.com/p.jpg"};
    auto f = parse_wechat_xml(reply_xml(r, "oUser", "gh_x", 1700000001));
    REQUIRE(f.has_value());
    CHECK(f->get("MsgType") == "news");
    CHECK(f->get("ArticleCount") == "1");
    CHECK(f->all("Articles/item").size() == 1);
    CHECK(f->get("Articles/item/Title") == "医疗救助办事指南");
    CHECK(f->get("Articles/item/Description") == "材料与流程");
    CHECK(f->get("Articles/item/Url") == "https://example.com/g?a=1&b=2");
    CHECK(f->get("Articles/item/PicUrl") == "https://example.com/p.jpg");

    r.news.reset();
    r.image_media_id = "MEDIA_ID";
    f = parse_wechat_xml(reply_xml(r, "oUser", "gh_x", 1700000001));
    REQUIRE(f.has_value());
    CHECK(f->get("MsgType") == "image");
    CHECK(f->get("Image/MediaId") == "MEDIA_ID");

    r.image_media_id.reset();
    f = parse_wechat_xml(reply_xml(r, "oUser", "gh_x", 1700000001));
    CHECK(f->get("MsgType") == "text");
    CHECK(f->get("Content") == "fallback");
}

TEST_CASE("XML text check: a forbidden byte is found wherever it sits in an 8-byte word",
          "[unit][wechat][xml]") {
    // is_xml_text skips printable ASCII eight bytes at a time; every position of every word (and
    // the ragged tail) must still be looked at.
    const std::string base64ish(40, 'Q');
    CHECK(is_xml_text(base64ish));
    CHECK(is_xml_text("ab\tcd\r\nef" + base64ish + "您好 ~"));
    for (std::size_t at = 0; at < base64ish.size(); ++at)
        for (const char bad : {'\x00', '\x01', '\x1f', '\xff', '\x80'}) {
            auto s = base64ish;
            s[at] = bad;
            INFO("byte " << int(static_cast<unsigned char>(bad)) << " at " << at);
            CHECK_FALSE(is_xml_text(s));
        }
    CHECK(is_xml_text(std::string(16, '\x7f'))); // DEL is an XML Char
    CHECK(is_xml_text(std::string(16, ' ')));
}
