// bot layer, channels: WeChat official-account and WeCom callback XML. Parses inbound bodies
// (envelopes and messages) safely with pugixml, maps every message and event type onto a
// model::turn, and writes passive replies. Sans-io and thread-safe; no function throws on
// bad input: failures are wechat_errc values (see wechat_errors.hpp).
#pragma once

#include "bot/channels/wechat_errors.hpp"
#include "model/turn.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace daiban::bot::channels {

// Real callbacks are a few KB (compatibility mode triples a message); anything far larger is not
// WeChat. The HTTP layer's body limit (1 MiB) is a separate, coarser guard.
inline constexpr std::size_t default_max_xml_bytes = 64 * 1024;

// A parsed callback XML as (path, text) pairs in document order. Paths are relative to the
// <xml> root, nested elements joined by '/' ("ScanCodeInfo/ScanResult"); repeated elements
// ("SendPicsInfo/PicList/item/PicMd5Sum") appear once per occurrence. Text is the concatenation
// of an element's own text and CDATA children, so split CDATA sections read back whole.
class xml_fields {
public:
    // The first value at `path`, or empty when absent.
    std::string_view get(std::string_view path) const;
    bool has(std::string_view path) const;
    std::vector<std::string_view> all(std::string_view path) const;
    const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

    void add(std::string path, std::string value) {
        entries_.emplace_back(std::move(path), std::move(value));
    }

private:
    std::vector<std::pair<std::string, std::string>> entries_;
};

// True when `text` is valid UTF-8 (no overlongs, surrogates or code points past U+10FFFF) and has
// no C0 control characters other than tab, LF and CR, which XML 1.0 forbids anyway.
bool is_xml_text(std::string_view text);

// Parses an inbound body (plain message, safe-mode envelope, or decrypted plaintext).
// In order: xml_too_large over `max_bytes`; xml_not_utf8; xml_doctype for any markup declaration
// (<!DOCTYPE, <!ENTITY, ...) outside CDATA and comments, refused before pugixml sees the text, so
// no entity can be declared, let alone expanded; xml_malformed when pugixml fails, the root is
// not a single <xml> element, or the tree is implausibly big.
boost::system::result<xml_fields> parse_wechat_xml(std::string_view body,
                                                   std::size_t max_bytes = default_max_xml_bytes);

namespace detail {
// The two readers behind parse_wechat_xml, exposed so tests can check they agree: a DOM-free one
// for flat messages (nullopt when the body is anything but "<xml>" with flat text or CDATA
// children) and the pugixml one for everything (after the size and text checks).
std::optional<xml_fields> parse_flat_xml(std::string_view body);
boost::system::result<xml_fields> parse_xml_dom(std::string_view body);
} // namespace detail

enum class wechat_flavor { official_account, wecom };

// TEMPLATESENDJOBFINISH: the result of a template message we sent.
struct delivery_report {
    std::string msg_id; // the template send's msgid (64-bit, kept as text)
    std::string status; // "success", "failed:user block", "failed: system failed", ...
};

// One inbound message or event, translated.
struct inbound_message {
    model::turn turn;     // channel "wechat"/"wecom", private chat with the sender
    std::string account;  // ToUserName: the OA's gh_ id / the CorpID; our reply's FromUserName
    std::string user;     // FromUserName: OpenID / WeCom UserID; our reply's ToUserName
    std::string msg_type; // MsgType as sent
    std::string event;    // Event as sent (events only)
    std::string agent_id; // WeCom AgentID inside the message (empty for OA)
    std::optional<delivery_report> report;
};

// Maps parsed fields onto a turn. `plaintext` is the exact XML the fields came from (after
// decryption in safe mode): an event carries no MsgId, so its turn id is "ev:" + sha1(plaintext),
// which a retry reproduces and a different event does not. Messages use MsgId as the turn id.
// Errors: missing_field / bad_field (with the field's name in *detail when given),
// unsupported_message for MsgTypes we do not handle (answer "success": WeChat must not retry).
boost::system::result<inbound_message> to_inbound(const xml_fields& fields,
                                                  std::string_view plaintext,
                                                  std::string_view tenant,
                                                  wechat_flavor flavor,
                                                  std::string* detail = nullptr);

// parse_wechat_xml + to_inbound.
boost::system::result<inbound_message> parse_inbound(std::string_view plaintext,
                                                     std::string_view tenant,
                                                     wechat_flavor flavor,
                                                     std::string* detail = nullptr,
                                                     std::size_t max_bytes = default_max_xml_bytes);

// ---- passive replies (ToUserName = the user, FromUserName = the account) ----

// Appends `text` as CDATA. "]]>" inside is split across two sections ("]]]]><![CDATA[>") so the
// XML stays valid and reads back unchanged; characters XML cannot carry at all (C0 controls
// other than tab/LF/CR, invalid UTF-8) are dropped rather than produce a reply WeChat rejects.
void append_cdata(std::string& out, std::string_view text);

std::string text_reply_xml(std::string_view to_user,
                           std::string_view from_user,
                           std::int64_t create_time,
                           std::string_view content);
std::string image_reply_xml(std::string_view to_user,
                            std::string_view from_user,
                            std::int64_t create_time,
                            std::string_view media_id);
// A single article (WeChat allows one in replies to user messages).
std::string news_reply_xml(std::string_view to_user,
                           std::string_view from_user,
                           std::int64_t create_time,
                           const model::reply::article& article);
// The richest form the reply carries: news, else image, else text.
std::string reply_xml(const model::reply& r,
                      std::string_view to_user,
                      std::string_view from_user,
                      std::int64_t create_time);

// The body that tells WeChat "received, nothing to say" (no retry, nothing shown to the user).
inline constexpr std::string_view success_body = "success";

} // namespace daiban::bot::channels
