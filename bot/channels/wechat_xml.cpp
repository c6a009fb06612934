// bot layer, channels: WeChat / WeCom callback XML (see wechat_xml.hpp).
#include "bot/channels/wechat_xml.hpp"

#include "bot/channels/crypto.hpp"
#include "common/utf8.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace daiban::bot::channels {

namespace {

// Nesting in real callbacks stops at depth 4 (SendPicsInfo/PicList/item/PicMd5Sum); the caps
// bound the work an adversarial body can cause after it passed the size check.
constexpr int max_depth = 6;
constexpr std::size_t max_fields = 512;

// Length of the valid, XML-allowed UTF-8 sequence starting at s[i], or 0 (XML 1.0 Char: tab,
// LF, CR and everything from U+0020 up).
std::size_t xml_char_len(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? 1 : 0;
    return utf8::sequence_length(s, i);
}

// True when a markup declaration (<!DOCTYPE, <!ENTITY, <!ELEMENT...) occurs outside CDATA
// sections and comments. User text may legitimately contain "<!DOCTYPE" inside CDATA.
bool has_markup_declaration(std::string_view s) {
    std::size_t pos = 0;
    while ((pos = s.find("<!", pos)) != std::string_view::npos) {
        const auto rest = s.substr(pos);
        std::size_t end = std::string_view::npos;
        if (rest.starts_with("<![CDATA["))
            end = s.find("]]>", pos + 9);
        else if (rest.starts_with("<!--"))
            end = s.find("-->", pos + 4);
        else
            return true;
        if (end == std::string_view::npos) return false; // unterminated: pugixml will refuse it
        pos = end + 3;
    }
    return false;
}

std::string own_text(const pugi::xml_node& n) {
    std::string v;
    for (auto c = n.first_child(); c; c = c.next_sibling())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) v += c.value();
    return v;
}

bool flatten(const pugi::xml_node& parent, const std::string& prefix, int depth, xml_fields& out) {
    for (auto c = parent.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element) continue;
        if (out.entries().size() >= max_fields) return false;
        std::string path = prefix.empty() ? std::string(c.name()) : prefix + "/" + c.name();
        out.add(path, own_text(c));
        if (c.find_child([](const pugi::xml_node& k) { return k.type() == pugi::node_element; })) {
            if (depth >= max_depth) return false;
            if (!flatten(c, path, depth + 1, out)) return false;
        }
    }
    return true;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<double> to_double(std::string_view s) {
    double v = 0;
    // Trim the blanks a hand-edited message might carry; from_chars accepts neither.
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t'))
        s.remove_suffix(1);
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

// Parsing context for to_inbound: records which field failed.
struct field_reader {
    const xml_fields& f;
    std::string* detail;

    boost::system::result<std::string> required(std::string_view name) const {
        auto v = f.get(name);
        if (v.empty()) {
            if (detail) *detail = std::string(name);
            return wechat_errc::missing_field;
        }
        return std::string(v);
    }
    boost::system::result<model::location_ref>
    location(std::string_view lat, std::string_view lng, std::string_view label) const {
        model::location_ref loc;
        for (auto [name, target] : {std::pair{lat, &loc.lat}, std::pair{lng, &loc.lng}}) {
            const auto v = f.get(name);
            if (v.empty()) {
                if (detail) *detail = std::string(name);
                return wechat_errc::missing_field;
            }
            const auto d = to_double(v);
            if (!d) {
                if (detail) *detail = std::string(name);
                return wechat_errc::bad_field;
            }
            *target = *d;
        }
        if (!label.empty()) loc.label = std::string(f.get(label));
        return loc;
    }
};

std::string audio_mime(std::string_view format) {
    const auto f = lower(format);
    if (f.empty()) return {};
    return "audio/" + f;
}

// Events: WeChat's Event value (compared case-insensitively: OA sends CLICK, WeCom click) → the
// name handlers see. Anything not listed keeps its lower-cased WeChat name.
std::string event_name(std::string_view lowered) {
    if (lowered == "click") return "menu";
    if (lowered == "templatesendjobfinish") return "template_finish";
    if (lowered == "masssendjobfinish") return "masssend_finish";
    return std::string(lowered);
}

} // namespace

// ---- xml_fields ----

std::string_view xml_fields::get(std::string_view path) const {
    for (const auto& [k, v] : entries_)
        if (k == path) return v;
    return {};
}

bool xml_fields::has(std::string_view path) const {
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const auto& e) { return e.first == path; });
}

std::vector<std::string_view> xml_fields::all(std::string_view path) const {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : entries_)
        if (k == path) out.emplace_back(v);
    return out;
}

bool is_xml_text(std::string_view text) {
    // XML 1.0 Char: tab, LF, CR, everything from U+0020 up, as valid UTF-8. A safe-mode envelope
    // is ~1 KB of base64, so printable ASCII goes eight bytes at a time: a word passes when no
    // byte has its high bit set and none is below 0x20 (the "has less than" bit trick).
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    std::size_t i = 0;
    while (i < text.size()) {
        if (i + 8 <= text.size()) {
            std::uint64_t w;
            std::memcpy(&w, text.data() + i, 8);
            if (((w | ((w - ones * 0x20) & ~w)) & highs) == 0) {
                i += 8;
                continue;
            }
        }
        const auto n = xml_char_len(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

namespace detail {

std::optional<xml_fields> parse_flat_xml(std::string_view body) {
    // The shape WeChat and WeCom send for every message and envelope (nested elements only in a
    // few menu events): "<xml>" and, one after another, "<Name>text</Name>" or
    // "<Name><![CDATA[text]]></Name>". Accepted only when the meaning is exactly what the DOM
    // path would read (no entity, no CR to normalise, no whitespace-only text pugixml drops, no
    // attribute, comment or declaration); anything else returns nullopt and takes that path.
    const auto is_ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    const auto is_name_char = [](char c, bool first) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
               (!first && c >= '0' && c <= '9');
    };
    while (!body.empty() && is_ws(body.front()))
        body.remove_prefix(1);
    while (!body.empty() && is_ws(body.back()))
        body.remove_suffix(1);
    constexpr std::string_view open_root = "<xml>", close_root = "</xml>", cdata = "<![CDATA[";
    if (!body.starts_with(open_root) || !body.ends_with(close_root) ||
        body.size() < open_root.size() + close_root.size())
        return std::nullopt;
    const std::string_view s = body.substr(0, body.size() - close_root.size());
    std::size_t p = open_root.size();
    xml_fields out;
    for (;;) {
        while (p < s.size() && is_ws(s[p]))
            ++p;
        if (p == s.size()) return out;
        if (s[p] != '<' || p + 1 >= s.size() || !is_name_char(s[p + 1], true)) return std::nullopt;
        std::size_t q = p + 1;
        while (q < s.size() && is_name_char(s[q], false))
            ++q;
        if (q >= s.size() || s[q] != '>') return std::nullopt;
        const std::string_view name = s.substr(p + 1, q - p - 1);
        std::size_t v = q + 1;
        std::string_view value;
        if (s.substr(v).starts_with(cdata)) {
            const auto close = s.find("]]>", v + cdata.size());
            if (close == std::string_view::npos) return std::nullopt;
            value = s.substr(v + cdata.size(), close - v - cdata.size());
            if (value.find('\r') != std::string_view::npos) return std::nullopt;
            v = close + 3;
        } else {
            const auto lt = s.find('<', v);
            if (lt == std::string_view::npos) return std::nullopt;
            value = s.substr(v, lt - v);
            if (value.find_first_of("&>\r") != std::string_view::npos) return std::nullopt;
            if (!value.empty() && std::all_of(value.begin(), value.end(), is_ws))
                return std::nullopt;
            v = lt;
        }
        // "</Name>"
        if (!s.substr(v).starts_with("</") || s.substr(v + 2, name.size()) != name ||
            v + 2 + name.size() >= s.size() || s[v + 2 + name.size()] != '>')
            return std::nullopt;
        p = v + 3 + name.size();
        if (out.entries().size() >= max_fields) return std::nullopt;
        out.add(std::string(name), std::string(value));
    }
}

boost::system::result<xml_fields> parse_xml_dom(std::string_view body) {
    if (has_markup_declaration(body)) return wechat_errc::xml_doctype;

    // pugixml silently drops text outside the root element ("junk<xml>...</xml>junk"); such a
    // body is not something WeChat sends, so refuse it instead of half-reading it.
    const auto first = body.find_first_not_of(" \t\r\n");
    const auto last = body.find_last_not_of(" \t\r\n");
    if (first == std::string_view::npos || body[first] != '<' || body[last] != '>')
        return wechat_errc::xml_malformed;

    pugi::xml_document doc;
    // parse_default has no parse_doctype/parse_pi: declarations we already refused, processing
    // instructions are skipped. The encoding is fixed: an <?xml encoding="GBK"?> is not obeyed.
    const auto res =
        doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!res) return wechat_errc::xml_malformed;

    pugi::xml_node root;
    for (auto c = doc.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
            if (root) return wechat_errc::xml_malformed; // two roots
            root = c;
        } else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            return wechat_errc::xml_malformed; // text outside the root
        }
    }
    if (!root || std::string_view(root.name()) != "xml") return wechat_errc::xml_malformed;

    xml_fields out;
    if (!flatten(root, {}, 1, out)) return wechat_errc::xml_malformed;
    // Character references (&#0; &#xD800;) can smuggle what the raw text check refused. Without
    // a '&' in the body every value is a piece of the text already checked.
    if (body.find('&') != std::string_view::npos)
        for (const auto& [k, v] : out.entries())
            if (!is_xml_text(v)) return wechat_errc::xml_not_utf8;
    return out;
}

} // namespace detail

boost::system::result<xml_fields> parse_wechat_xml(std::string_view body, std::size_t max_bytes) {
    if (body.size() > max_bytes) return wechat_errc::xml_too_large;
    if (!is_xml_text(body)) return wechat_errc::xml_not_utf8;
    // Nearly every message is flat: read it without building a DOM (pugixml copies the body and
    // allocates its nodes; a safe-mode message is parsed twice, envelope and plaintext).
    if (auto flat = detail::parse_flat_xml(body)) return std::move(*flat);
    return detail::parse_xml_dom(body);
}

boost::system::result<inbound_message> to_inbound(const xml_fields& fields,
                                                  std::string_view plaintext,
                                                  std::string_view tenant,
                                                  wechat_flavor flavor,
                                                  std::string* detail) {
    const field_reader r{fields, detail};
    inbound_message m;
    {
        auto to = r.required("ToUserName");
        if (!to) return to.error();
        auto from = r.required("FromUserName");
        if (!from) return from.error();
        auto type = r.required("MsgType");
        if (!type) return type.error();
        m.account = std::move(*to);
        m.user = std::move(*from);
        m.msg_type = std::move(*type);
    }
    m.agent_id = std::string(fields.get("AgentID"));

    auto& t = m.turn;
    t.tenant = std::string(tenant);
    t.channel = flavor == wechat_flavor::wecom ? "wecom" : "wechat";
    t.chat = {model::chat_kind::private_chat, m.user};
    t.from_id = m.user;
    // A private message is addressed to the bot by definition.
    t.mentions_bot = true;
    const auto create = fields.get("CreateTime");
    if (!all_digits(create) || create.size() > 12) {
        if (detail) *detail = "CreateTime";
        return create.empty() ? wechat_errc::missing_field : wechat_errc::bad_field;
    }
    std::from_chars(create.data(), create.data() + create.size(), t.time);

    const auto type = lower(m.msg_type);
    if (type == "event") {
        auto ev = r.required("Event");
        if (!ev) return ev.error();
        m.event = std::move(*ev);
        const auto ev_l = lower(m.event);
        t.kind = model::turn_kind::event;
        // Events have no MsgId; a retry re-sends the same plaintext, a distinct event differs
        // somewhere (CreateTime, EventKey, Ticket...).
        t.id = "ev:" + sha1_hex(plaintext);
        model::event_ref e{event_name(ev_l), std::string(fields.get("EventKey"))};
        if (ev_l == "subscribe") {
            // A follow through a parametric QR code carries "qrscene_<scene>"; a plain follow none.
            constexpr std::string_view prefix = "qrscene_";
            if (std::string_view(e.key).starts_with(prefix)) e.key.erase(0, prefix.size());
        } else if (ev_l == "location") {
            auto loc = r.location("Latitude", "Longitude", {});
            if (!loc) return loc.error();
            t.location = *loc;
        } else if (ev_l == "location_select") {
            auto loc = r.location("SendLocationInfo/Location_X", "SendLocationInfo/Location_Y",
                                  "SendLocationInfo/Label");
            if (!loc) return loc.error();
            if (loc->label.empty())
                loc->label = std::string(fields.get("SendLocationInfo/Poiname"));
            t.location = *loc;
        } else if (ev_l == "scancode_push" || ev_l == "scancode_waitmsg") {
            t.text = std::string(fields.get("ScanCodeInfo/ScanResult"));
        } else if (ev_l == "templatesendjobfinish") {
            // Note the capital D: the template's msgid, not a message id of ours.
            auto id = r.required("MsgID");
            if (!id) return id.error();
            m.report = delivery_report{std::move(*id), std::string(fields.get("Status"))};
            e.key = m.report->msg_id;
            t.text = m.report->status;
        }
        t.event = std::move(e);
        return m;
    }

    // Messages: MsgId is the turn id (the dispatcher keys it with tenant and sender, i.e.
    // To+From+MsgId). Without one, fall back to the plaintext hash like events.
    const auto msg_id = fields.get("MsgId");
    t.id = msg_id.empty() ? "ev:" + sha1_hex(plaintext) : std::string(msg_id);

    if (type == "text") {
        auto c = r.required("Content");
        if (!c) return c.error();
        t.kind = model::turn_kind::text;
        t.text = std::move(*c);
    } else if (type == "image") {
        model::media_ref media;
        media.url = std::string(fields.get("PicUrl"));
        media.media_id = std::string(fields.get("MediaId"));
        if (media.url.empty() && media.media_id.empty()) {
            if (detail) *detail = "MediaId";
            return wechat_errc::missing_field;
        }
        t.kind = model::turn_kind::image;
        t.media = std::move(media);
    } else if (type == "voice") {
        auto id = r.required("MediaId");
        if (!id) return id.error();
        t.kind = model::turn_kind::voice;
        // With recognition switched on WeChat sends its ASR text; it is what the user said.
        t.text = std::string(fields.get("Recognition"));
        model::media_ref media;
        media.media_id = std::move(*id);
        media.mime = audio_mime(fields.get("Format"));
        t.media = std::move(media);
    } else if (type == "video" || type == "shortvideo") {
        auto id = r.required("MediaId");
        if (!id) return id.error();
        t.kind = model::turn_kind::video;
        model::media_ref media;
        media.media_id = std::move(*id);
        t.media = std::move(media);
    } else if (type == "location") {
        auto loc = r.location("Location_X", "Location_Y", "Label");
        if (!loc) return loc.error();
        t.kind = model::turn_kind::location;
        t.location = *loc;
    } else if (type == "link") {
        auto url = r.required("Url");
        if (!url) return url.error();
        t.kind = model::turn_kind::link;
        t.text = std::string(fields.get("Title"));
        model::media_ref media;
        media.url = std::move(*url);
        media.name = t.text;
        t.media = std::move(media);
    } else {
        if (detail) *detail = m.msg_type;
        return wechat_errc::unsupported_message;
    }
    return m;
}

boost::system::result<inbound_message> parse_inbound(std::string_view plaintext,
                                                     std::string_view tenant,
                                                     wechat_flavor flavor,
                                                     std::string* detail,
                                                     std::size_t max_bytes) {
    auto fields = parse_wechat_xml(plaintext, max_bytes);
    if (!fields) return fields.error();
    return to_inbound(*fields, plaintext, tenant, flavor, detail);
}

// ---- replies ----

void append_cdata(std::string& out, std::string_view text) {
    out += "<![CDATA[";
    for (std::size_t i = 0; i < text.size();) {
        const auto n = xml_char_len(text, i);
        if (n == 0) {
            ++i; // drop a byte XML cannot carry
            continue;
        }
        out.append(text.data() + i, n);
        i += n;
        // The section would end at this '>' (the opener ends in '[', so any "]]>" here is the
        // text's): close the section before the '>' and reopen, so the text reads back as "]]>".
        if (n == 1 && out.back() == '>' && out.ends_with("]]>"))
            out.insert(out.size() - 1, "]]><![CDATA[");
    }
    out += "]]>";
}

namespace {

void append_header(std::string& x,
                   std::string_view to_user,
                   std::string_view from_user,
                   std::int64_t create_time,
                   std::string_view msg_type) {
    x += "<xml><ToUserName>";
    append_cdata(x, to_user);
    x += "</ToUserName><FromUserName>";
    append_cdata(x, from_user);
    x += "</FromUserName><CreateTime>";
    x += std::to_string(create_time);
    x += "</CreateTime><MsgType>";
    append_cdata(x, msg_type);
    x += "</MsgType>";
}

} // namespace

std::string text_reply_xml(std::string_view to_user,
                           std::string_view from_user,
                           std::int64_t create_time,
                           std::string_view content) {
    std::string x;
    x.reserve(content.size() + 256);
    append_header(x, to_user, from_user, create_time, "text");
    x += "<Content>";
    append_cdata(x, content);
    x += "</Content></xml>";
    return x;
}

std::string image_reply_xml(std::string_view to_user,
                            std::string_view from_user,
                            std::int64_t create_time,
                            std::string_view media_id) {
    std::string x;
    append_header(x, to_user, from_user, create_time, "image");
    x += "<Image><MediaId>";
    append_cdata(x, media_id);
    x += "</MediaId></Image></xml>";
    return x;
}

std::string news_reply_xml(std::string_view to_user,
                           std::string_view from_user,
                           std::int64_t create_time,
                           const model::reply::article& a) {
    std::string x;
    append_header(x, to_user, from_user, create_time, "news");
    x += "<ArticleCount>1</ArticleCount><Articles><item><Title>";
    append_cdata(x, a.title);
    x += "</Title><Description>";
    append_cdata(x, a.description);
    x += "</Description><PicUrl>";
    append_cdata(x, a.pic_url);
    x += "</PicUrl><Url>";
    append_cdata(x, a.url);
    x += "</Url></item></Articles></xml>";
    return x;
}

std::string reply_xml(const model::reply& r,
                      std::string_view to_user,
                      std::string_view from_user,
                      std::int64_t create_time) {
    if (r.news) return news_reply_xml(to_user, from_user, create_time, *r.news);
    if (r.image_media_id)
        return image_reply_xml(to_user, from_user, create_time, *r.image_media_id);
    return text_reply_xml(to_user, from_user, create_time, r.text);
}

} // namespace daiban::bot::channels
