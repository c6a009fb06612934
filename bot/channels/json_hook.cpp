// bot layer, channels: the JSON hook (see json_hook.hpp).
#include "bot/channels/json_hook.hpp"

#include "bot/channels/crypto.hpp"
#include "bot/dialogue/dispatcher.hpp"
#include "bot/log.hpp"
#include "bot/outbound/delivery.hpp"
#include "bot/replies/codec.hpp"
#include "bot/replies/routing.hpp"
#include "common/sha256.hpp"
#include "common/utf8.hpp"
#include "state/errors.hpp"

#include <nlohmann/json.hpp>

#include <chrono>

namespace daiban::bot::channels {

using nlohmann::json;
namespace asio = boost::asio;

namespace {

constexpr std::size_t max_id = 128;
// Bytes of UTF-8. WeChat's own limit is 2048 characters (6 KB); a pasted grievance from a bridge
// can be longer, and a resident who wrote at length must get an answer, not a 400: the NLU reads
// the start (bot/nlu/engine.cpp), the whole text stays with the turn.
constexpr std::size_t max_text = 32 * 1024;
constexpr std::size_t max_inline_media = 2 * 1024 * 1024;

// Reads a required/optional string field with a length cap.
std::optional<hook_error> get_string(const json& obj,
                                     const std::string& path,
                                     const char* key,
                                     std::string& out,
                                     bool required,
                                     std::size_t max_len) {
    const std::string field = path.empty() ? key : path + "." + key;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        if (required) return hook_error{field, field + " is required"};
        return std::nullopt;
    }
    if (!it->is_string()) return hook_error{field, field + " must be a string"};
    out = it->get<std::string>();
    if (required && out.empty()) return hook_error{field, field + " must not be empty"};
    if (out.size() > max_len)
        return hook_error{field, field + " is longer than " + std::to_string(max_len) + " bytes"};
    return std::nullopt;
}

} // namespace

std::string hook_signature(std::string_view secret, std::string_view body) {
    return "sha256=" + hmac_sha256_hex(secret, body);
}

std::variant<model::turn, hook_error> parse_hook_body(std::string_view body) {
    // Invalid UTF-8 would make nlohmann throw later when dumping; refuse it at the door.
    if (!utf8::valid(body)) return hook_error{"", "the body is not valid UTF-8"};
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return hook_error{"", "the body is not valid JSON"};
    if (!j.is_object()) return hook_error{"", "the body must be a JSON object"};

    model::turn t;
    t.channel = "hook";
    if (auto e = get_string(j, "", "id", t.id, true, max_id)) return *e;

    auto time = j.find("time");
    if (time == j.end()) return hook_error{"time", "time is required (unix seconds)"};
    if (!time->is_number_integer())
        return hook_error{"time", "time must be an integer (unix seconds)"};
    t.time = time->get<std::int64_t>();

    auto chat = j.find("chat");
    if (chat == j.end())
        return hook_error{"chat",
                          "chat is required: {\"type\": \"private\"|\"group\", \"id\": ...}"};
    if (!chat->is_object()) return hook_error{"chat", "chat must be an object"};
    std::string chat_type;
    if (auto e = get_string(*chat, "chat", "type", chat_type, true, 16)) return *e;
    if (chat_type == "private")
        t.chat.kind = model::chat_kind::private_chat;
    else if (chat_type == "group")
        t.chat.kind = model::chat_kind::group;
    else
        return hook_error{"chat.type", "chat.type must be \"private\" or \"group\""};
    if (auto e = get_string(*chat, "chat", "id", t.chat.id, true, max_id)) return *e;

    auto from = j.find("from");
    if (from == j.end())
        return hook_error{"from", "from is required: {\"id\": ..., \"name\": ...}"};
    if (!from->is_object()) return hook_error{"from", "from must be an object"};
    if (auto e = get_string(*from, "from", "id", t.from_id, true, max_id)) return *e;
    if (auto e = get_string(*from, "from", "name", t.from_name, false, 256)) return *e;
    if (t.chat.kind == model::chat_kind::private_chat && t.chat.id != t.from_id)
        return hook_error{"chat.id", "in a private chat, chat.id must equal from.id"};

    if (auto m = j.find("mentions_bot"); m != j.end()) {
        if (!m->is_boolean())
            return hook_error{"mentions_bot", "mentions_bot must be true or false"};
        t.mentions_bot = m->get<bool>();
    }

    std::string type;
    if (auto e = get_string(j, "", "type", type, true, 16)) return *e;
    if (type == "text") {
        t.kind = model::turn_kind::text;
        if (auto e = get_string(j, "", "text", t.text, true, max_text)) return *e;
    } else if (type == "image" || type == "file" || type == "voice") {
        t.kind = type == "image"  ? model::turn_kind::image
                 : type == "file" ? model::turn_kind::file
                                  : model::turn_kind::voice;
        if (auto e = get_string(j, "", "text", t.text, false, max_text)) return *e;
        auto media = j.find("media");
        if (media == j.end() || !media->is_object())
            return hook_error{"media",
                              "a " + type +
                                  " message needs media: {\"url\": ...} or {\"data\": base64}"};
        model::media_ref m;
        std::string data;
        if (auto e = get_string(*media, "media", "url", m.url, false, 2048)) return *e;
        if (auto e = get_string(*media, "media", "data", data, false, max_inline_media * 4 / 3 + 4))
            return *e;
        if (auto e = get_string(*media, "media", "mime", m.mime, false, 128)) return *e;
        if (auto e = get_string(*media, "media", "name", m.name, false, 256)) return *e;
        if (m.url.empty() == data.empty())
            return hook_error{"media",
                              "media needs exactly one of url (http/https) or data (base64)"};
        if (!m.url.empty() && !m.url.starts_with("http://") && !m.url.starts_with("https://"))
            return hook_error{"media.url", "media.url must start with http:// or https://"};
        if (!data.empty()) {
            auto bytes = base64_decode(data);
            if (!bytes) return hook_error{"media.data", "media.data is not valid base64"};
            if (bytes->size() > max_inline_media)
                return hook_error{"media.data",
                                  "media.data is larger than 2 MiB; send a url instead"};
            m.data = std::move(*bytes);
        }
        t.media = std::move(m);
    } else if (type == "location") {
        t.kind = model::turn_kind::location;
        auto loc = j.find("location");
        if (loc == j.end() || !loc->is_object())
            return hook_error{"location", "a location message needs location: {\"lat\", \"lng\"}"};
        model::location_ref l;
        for (const char* key : {"lat", "lng"}) {
            auto v = loc->find(key);
            if (v == loc->end() || !v->is_number())
                return hook_error{std::string("location.") + key,
                                  std::string("location.") + key + " must be a number"};
        }
        l.lat = (*loc)["lat"].get<double>();
        l.lng = (*loc)["lng"].get<double>();
        if (l.lat < -90 || l.lat > 90)
            return hook_error{"location.lat", "location.lat must be within -90..90"};
        if (l.lng < -180 || l.lng > 180)
            return hook_error{"location.lng", "location.lng must be within -180..180"};
        if (auto e = get_string(*loc, "location", "label", l.label, false, 512)) return *e;
        t.location = std::move(l);
    } else if (type == "event") {
        t.kind = model::turn_kind::event;
        auto ev = j.find("event");
        if (ev == j.end() || !ev->is_object())
            return hook_error{"event",
                              "an event message needs event: {\"name\": ..., \"key\": ...}"};
        model::event_ref e;
        if (auto err = get_string(*ev, "event", "name", e.name, true, 64)) return *err;
        if (auto err = get_string(*ev, "event", "key", e.key, false, 256)) return *err;
        t.event = std::move(e);
    } else {
        return hook_error{"type", "type must be one of text, image, voice, file, location, event"};
    }
    return t;
}

std::string encode_hook_response(const dialogue::turn_outcome& outcome) {
    std::string out = "{\"replies\":";
    // A duplicate ran nothing, and answers what the first run said: its sender resends because
    // it never saw that answer.
    out += replies::encode_replies(outcome.replies);
    out += outcome.duplicate ? ",\"duplicate\":true}" : ",\"duplicate\":false}";
    return out;
}

hook_split split_hook_replies(const tenant_config& t, std::vector<model::reply> replies) {
    hook_split out;
    for (auto& r : replies) {
        if (replies::route_channel(t, r, "hook") != "hook") {
            out.elsewhere.push_back(std::move(r));
            continue;
        }
        // Everything in the response travels on the hook: the bridge gets DESIGN §3's shape,
        // not our routing.
        r.channel.clear();
        out.response.push_back(std::move(r));
    }
    return out;
}

void add_hook_routes(http::router& r,
                     const tenant_registry& tenants,
                     dialogue::dispatcher& dispatcher,
                     std::function<std::int64_t()> clock,
                     hook_push_fn push_elsewhere) {
    r.add("POST", "/hook/{tenant}",
          [&tenants, &dispatcher, clock,
           push_elsewhere](http::request& req,
                           const http::route_params& params) -> asio::awaitable<http::response> {
              const std::string& tenant_id = params.find("tenant")->second;
              auto tenant = tenants.find(tenant_id);
              if (!tenant || !tenant->cfg.hook)
                  co_return http::json_error(404, "unknown_tenant",
                                             "no tenant '" + tenant_id + "' with a JSON hook");
              const auto& hook = *tenant->cfg.hook;

              const auto ctype = req.header("content-type");
              if (req.has_header("content-type") && !ctype.starts_with("application/json"))
                  co_return http::json_error(415, "unsupported_media_type",
                                             "send Content-Type: application/json (got '" +
                                                 std::string(ctype) + "')");

              const auto sig = req.header("x-daiban-signature");
              if (sig.empty())
                  co_return http::json_error(
                      401, "missing_signature",
                      "add X-Daiban-Signature: sha256=<hex HMAC-SHA256(secret, body)>");
              if (!constant_time_equal(sig, hook_signature(hook.secret, req.body)))
                  co_return http::json_error(401, "bad_signature",
                                             "X-Daiban-Signature does not match the body "
                                             "(HMAC-SHA256 with the tenant's hook secret)");

              auto parsed = parse_hook_body(req.body);
              if (auto* err = std::get_if<hook_error>(&parsed)) {
                  auto res = http::json_error(400, err->field.empty() ? "bad_json" : "bad_field",
                                              err->detail, err->field);
                  co_return res;
              }
              auto& t = std::get<model::turn>(parsed);
              const auto now = clock();
              if (t.time < now - hook.max_age_s || t.time > now + hook.max_age_s)
                  co_return http::json_error(
                      401, "stale_request",
                      "time is more than " + std::to_string(hook.max_age_s) +
                          " s away from the server's clock; send the current unix time",
                      "time");
              t.tenant = tenant_id;
              const std::string conv = sha256_hex(t.tenant + t.conversation_key()).substr(0, 12);
              const std::string message_id = t.chat.id + ":" + t.id;

              auto outcome = co_await dispatcher.submit(std::move(t));
              if (!outcome) {
                  // Recorded on the master but not yet confirmed by redis.wait_replicas: the
                  // resend is answered from the record, not run again.
                  const bool recorded = outcome.error() == state::errc::redis_not_replicated;
                  auto res = http::json_error(
                      503, "unavailable",
                      "the bot's store is unavailable (" + outcome.error().message() +
                          (recorded ? "); the message was recorded, resend it for the answer"
                                    : "); nothing was done, retry later"));
                  res.headers.emplace_back("Retry-After", "1");
                  res.log_note =
                      "tenant=" + tenant_id + " channel=hook conv=" + conv + " outcome=unavailable";
                  co_return res;
              }
              if (outcome->in_progress) {
                  // Not a duplicate: the delivery holding the message has not recorded it and may
                  // have died. Answering "done" would lose it; 503 makes the bridge resend, which
                  // then gets the recorded answer or (its owner gone) runs the message.
                  auto res = http::json_error(
                      503, "in_progress",
                      "an earlier delivery of this message is still being handled and has not "
                      "finished; nothing was done by this one, resend it in a second");
                  res.headers.emplace_back("Retry-After", "1");
                  res.log_note =
                      "tenant=" + tenant_id + " channel=hook conv=" + conv + " outcome=in_progress";
                  co_return res;
              }
              // A duplicate answers with the first run's replies. Its pushes are queued again:
              // its first run may have died before queueing them; the outbox's idempotency keys
              // keep them from going twice.
              auto split = split_hook_replies(tenant->cfg, std::move(outcome->replies));
              outcome->replies = std::move(split.response);
              if (!split.elsewhere.empty()) {
                  // Queued before the bridge is answered, so a crash in between is retried. If
                  // they cannot be queued the bridge still gets its own replies (its retry would
                  // queue them again, but it has no reason to retry a 200) and the loss is logged
                  // as an error.
                  if (push_elsewhere) {
                      const auto n = split.elsewhere.size();
                      if (!co_await push_elsewhere(tenant_id, "hook", message_id,
                                                   std::move(split.elsewhere)))
                          log::error("event=push_lost tenant=" + tenant_id + " channel=hook" +
                                     " count=" + std::to_string(n) +
                                     " detail=\"replies for another channel not queued\"");
                  } else
                      log::warn("event=replies_dropped tenant=" + tenant_id +
                                " channel=hook count=" + std::to_string(split.elsewhere.size()) +
                                " detail=\"replies for another channel and no push configured\"");
              }
              http::response res;
              res.body = encode_hook_response(*outcome);
              res.log_note = "tenant=" + tenant_id + " channel=hook conv=" + conv +
                             (outcome->duplicate ? " outcome=duplicate"
                                                 : " intent=" + outcome->intent + " outcome=ok");
              co_return res;
          });
}

} // namespace daiban::bot::channels
