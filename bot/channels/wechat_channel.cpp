// bot layer, channels: WeChat official-account and WeCom callback routes (see wechat_channel.hpp).
#include "bot/channels/wechat_channel.hpp"

#include "bot/channels/wechat_xml.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stdexcept>

namespace daiban::bot::channels {

namespace asio = boost::asio;
using dialogue::turn_outcome;
using outcome_result = boost::system::result<turn_outcome>;

namespace {

struct account {
    std::string tenant;
    const wechat_config* wechat = nullptr;
    const wecom_config* wecom = nullptr;
    std::optional<msg_crypt> wechat_crypt; // only when the tenant set an aes_key (safe mode)
    std::optional<msg_crypt> wecom_crypt;  // WeCom is always encrypted
};

struct channel {
    dialogue::dispatcher& dispatcher;
    wechat_channel_options opts;
    std::map<std::string, account, std::less<>> accounts;

    std::int64_t now() const {
        if (opts.now) return opts.now();
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
    void log(std::string_view line) const {
        if (opts.log) opts.log(line);
    }
    // True once the replies are durably queued (or there are none).
    asio::awaitable<bool> push(const std::string& tenant,
                               const std::string& channel,
                               const std::string& message_id,
                               std::vector<model::reply> replies) const {
        if (replies.empty()) co_return true;
        if (!opts.push_late) {
            log("wechat: tenant " + tenant + ": " + std::to_string(replies.size()) +
                " late replies dropped: no push_late configured");
            co_return true;
        }
        const auto n = replies.size();
        if (co_await opts.push_late(tenant, channel, message_id, std::move(replies)))
            co_return true;
        log("wechat: tenant " + tenant + ": " + std::to_string(n) +
            " replies not queued (Redis unavailable?)");
        co_return false;
    }
};

struct query {
    std::vector<std::pair<std::string, std::string>> pairs;
    std::string_view get(std::string_view name) const {
        for (const auto& [k, v] : pairs)
            if (k == name) return v;
        return {};
    }
};

http::response fail(boost::system::error_code ec, std::string_view detail = {}) {
    const auto e = static_cast<wechat_errc>(ec.value());
    const char* name = ec.category() == wechat_category() ? wechat_errc_name(e) : "internal";
    std::string text = ec.message();
    if (!detail.empty()) text += std::string(": ") + std::string(detail);
    const int status = http_status(ec);
    if (status == 200) {
        // Not an error for WeChat (an unsupported message type): acknowledge so it won't retry.
        http::response r;
        r.content_type = "text/plain";
        r.body = std::string(success_body);
        r.log_note = std::string(name) + " " + std::string(detail);
        return r;
    }
    auto r = http::json_error(status, name, text);
    r.log_note = std::string(name) + (detail.empty() ? "" : " ") + std::string(detail);
    return r;
}

http::response text_response(std::string body, std::string note, std::string type = "text/plain") {
    http::response r;
    r.content_type = std::move(type);
    r.body = std::move(body);
    r.log_note = std::move(note);
    return r;
}

// WeChat posts text/xml; proxies and test tools drop or vary it. Refuse only what is clearly not
// XML (a JSON or form post means a misconfigured sender).
bool acceptable_content_type(std::string_view ct) {
    if (ct.empty()) return true;
    std::string lower;
    for (char c : ct.substr(0, ct.find(';')))
        if (c != ' ') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower == "text/xml" || lower == "application/xml" || lower == "text/plain" ||
           lower.empty();
}

// The reply-budget race. The handler runs in its own coroutine and is never cancelled; the
// request waits for it at most `budget`. Whoever comes second decides: a handler finishing after
// the request gave up pushes its replies; a request finding the handler done takes its outcome.
struct race {
    explicit race(const asio::any_io_executor& ex) : timer(ex) {}
    std::mutex m;
    bool done = false;
    bool abandoned = false;
    std::optional<outcome_result> outcome;
    asio::steady_timer timer;
};

asio::awaitable<std::optional<outcome_result>>
submit_within(std::shared_ptr<const channel> ch, model::turn t, std::chrono::milliseconds budget) {
    auto ex = co_await asio::this_coro::executor;
    auto r = std::make_shared<race>(ex);
    r->timer.expires_after(budget);
    asio::co_spawn(
        ex,
        [ch, r, t = std::move(t)]() mutable -> asio::awaitable<void> {
            const std::string tenant = t.tenant;
            const std::string channel_name = t.channel;
            const std::string message_id = t.chat.id + ":" + t.id;
            outcome_result res =
                boost::system::errc::make_error_code(boost::system::errc::io_error);
            try {
                res = co_await ch->dispatcher.submit(std::move(t));
            } catch (const std::exception& e) {
                ch->log(std::string("wechat: dispatcher threw: ") + e.what());
            }
            bool late = false;
            {
                std::lock_guard lock(r->m);
                late = r->abandoned;
                if (!late) {
                    r->done = true;
                    r->outcome = res;
                }
            }
            if (!late) {
                // The dispatcher may finish on another shard's thread: wake the request on its own.
                asio::post(r->timer.get_executor(), [r] { r->timer.cancel(); });
                co_return;
            }
            if (!res)
                ch->log("wechat: tenant " + tenant +
                        ": late turn failed: " + res.error().message());
            // A delivery still running elsewhere pushes its own replies when it finishes; a
            // finished one's may never have been queued (a crash): queue them, the outbox's
            // idempotency keys keep them from going twice.
            else if (!res->in_progress)
                co_await ch->push(tenant, channel_name, message_id, std::move(res->replies));
        },
        asio::detached);

    {
        std::lock_guard lock(r->m);
        if (r->done) co_return std::move(r->outcome);
    }
    co_await r->timer.async_wait(asio::as_tuple(asio::use_awaitable));
    std::lock_guard lock(r->m);
    if (r->done) co_return std::move(r->outcome);
    r->abandoned = true;
    co_return std::nullopt;
}

// The passive reply for an inbound message, or "success"; pushes what cannot go passively.
// `seal` encrypts when the request was encrypted.
asio::awaitable<http::response> answer(std::shared_ptr<const channel> ch_ptr,
                                       inbound_message in,
                                       int budget_ms,
                                       const std::function<http::response(std::string)>& seal) {
    const channel& ch = *ch_ptr;
    const std::string tenant = in.turn.tenant;
    const std::string channel_name = in.turn.channel;
    const model::chat_ref own_chat = in.turn.chat;
    const std::string message_id = in.turn.chat.id + ":" + in.turn.id;
    const std::string kind = in.msg_type + (in.event.empty() ? "" : "/" + in.event);
#ifdef DAIBAN_TEST_HOOKS
    const std::string turn_text = in.turn.text;
#endif
    auto got =
        co_await submit_within(ch_ptr, std::move(in.turn), std::chrono::milliseconds(budget_ms));
    if (!got)
        co_return text_response(std::string(success_body), kind + " late: success, replies pushed");
    if (!*got) {
        // Redis unavailable or similar: 503 makes WeChat retry, so the message is not lost.
        auto r = http::json_error(503, "unavailable", got->error().message());
        r.log_note = kind + " dispatcher error: " + got->error().message();
        co_return r;
    }
    auto& out = got->value();
    if (out.in_progress) {
        // Not "success": that would tell WeChat the message was handled, and if the delivery
        // holding it died it never would be. 503 makes WeChat deliver it again; by then it is
        // recorded (this retry gets its reply) or its owner is gone and the retry runs it.
        auto r = http::json_error(503, "in_progress",
                                  "this message is being handled by an earlier delivery; "
                                  "deliver it again");
        r.headers.emplace_back("Retry-After", "1");
        r.log_note = kind + " in progress: retry";
        co_return r;
    }
    auto split = split_passive(std::move(out.replies), &own_chat, channel_name);
#ifdef DAIBAN_TEST_HOOKS
    // Test builds only: die after the turn is recorded and before its pushes are queued, the
    // window the retry below must cover (tests/e2e/crash_before_push.test.js).
    if (const char* crash = std::getenv("DAIBAN_TEST_CRASH_BEFORE_PUSH");
        crash && *crash && turn_text == crash && !out.duplicate)
        std::_Exit(137);
#endif
    // Queued before WeChat is answered: if they cannot be, 503 makes WeChat deliver the message
    // again. Also for a duplicate whose first run finished: that run may have died before
    // queueing them. The outbox drops a push whose idempotency key it has seen.
    if (!co_await ch.push(tenant, channel_name, message_id, std::move(split.pushes))) {
        auto r = http::json_error(503, "unavailable", "the replies could not be queued");
        r.log_note = kind + " pushes not queued";
        co_return r;
    }
    if (!split.passive)
        co_return text_response(std::string(success_body),
                                kind + (out.duplicate ? " duplicate" : "") + " no reply");
    auto xml = reply_xml(*split.passive, in.user, in.account, ch.now());
    auto r = seal(std::move(xml));
    r.log_note = kind + (out.duplicate ? " duplicate: first reply again" : " replied");
    co_return r;
}

const account* find_account(const channel& ch, const http::route_params& params) {
    const auto t = params.find("tenant");
    if (t == params.end()) return nullptr;
    const auto a = ch.accounts.find(t->second);
    return a == ch.accounts.end() ? nullptr : &a->second;
}

http::response unknown_tenant() {
    return http::json_error(404, "unknown_tenant", "no such tenant with this channel configured");
}

// ---- official account ----

asio::awaitable<http::response> oa_get(std::shared_ptr<const channel> ch_ptr,
                                       http::request& req,
                                       const http::route_params& params) {
    const channel& ch = *ch_ptr;
    const auto* acc = find_account(ch, params);
    if (!acc || !acc->wechat) co_return unknown_tenant();
    const auto q = parse_query(req.query());
    if (!q) co_return fail(wechat_errc::bad_field, "query string");
    const query qs{*q};
    if (auto ts = check_timestamp(qs.get("timestamp"), ch.now(), acc->wechat->max_clock_skew_s);
        !ts)
        co_return fail(ts.error());
    // URL verification stays 3-part and plaintext even in safe mode.
    if (!signature_matches(
            qs.get("signature"),
            wechat_signature({acc->wechat->token, qs.get("timestamp"), qs.get("nonce")})))
        co_return fail(wechat_errc::bad_signature);
    co_return text_response(std::string(qs.get("echostr")), "url verification");
}

asio::awaitable<http::response> oa_post(std::shared_ptr<const channel> ch_ptr,
                                        http::request& req,
                                        const http::route_params& params) {
    const channel& ch = *ch_ptr;
    const auto* acc = find_account(ch, params);
    if (!acc || !acc->wechat) co_return unknown_tenant();
    if (!acceptable_content_type(req.header("content-type")))
        co_return http::json_error(415, "unsupported_media_type", "expected XML");
    const auto q = parse_query(req.query());
    if (!q) co_return fail(wechat_errc::bad_field, "query string");
    const query qs{*q};
    const auto& cfg = *acc->wechat;
    const auto timestamp = qs.get("timestamp");
    const auto nonce = qs.get("nonce");
    if (auto ts = check_timestamp(timestamp, ch.now(), cfg.max_clock_skew_s); !ts)
        co_return fail(ts.error());

    // Safe and compatibility modes announce themselves with encrypt_type=aes; then msg_signature
    // over the ciphertext is what authenticates the body (the 3-part signature covers no body).
    const bool encrypted = qs.get("encrypt_type") == "aes";
    if (encrypted && qs.get("msg_signature").empty())
        co_return fail(wechat_errc::bad_signature, "msg_signature missing");
    if (!encrypted &&
        !signature_matches(qs.get("signature"), wechat_signature({cfg.token, timestamp, nonce})))
        co_return fail(wechat_errc::bad_signature);

    auto envelope = parse_wechat_xml(req.body, ch.opts.max_xml_bytes);
    if (!envelope) co_return fail(envelope.error(), "body");

    std::string plaintext;
    std::optional<xml_fields> fields;
    if (encrypted) {
        if (!acc->wechat_crypt)
            co_return fail(
                wechat_errc::bad_field,
                "encrypt_type=aes but the tenant has no wechat.aes_key (console in safe mode?)");
        const auto enc = envelope->get("Encrypt");
        if (enc.empty()) co_return fail(wechat_errc::missing_field, "Encrypt");
        if (!acc->wechat_crypt->check_signature(qs.get("msg_signature"), timestamp, nonce, enc))
            co_return fail(wechat_errc::bad_signature, "msg_signature");
        auto dec = acc->wechat_crypt->decrypt(enc);
        if (!dec) co_return fail(dec.error());
        plaintext = std::move(*dec);
        auto inner = parse_wechat_xml(plaintext, ch.opts.max_xml_bytes);
        if (!inner) co_return fail(inner.error(), "decrypted message");
        fields = std::move(*inner);
    } else {
        plaintext = req.body;
        fields = std::move(*envelope);
    }

    std::string detail;
    auto in = to_inbound(*fields, plaintext, acc->tenant, wechat_flavor::official_account, &detail);
    if (!in) co_return fail(in.error(), detail);

    const auto* crypt = encrypted ? &*acc->wechat_crypt : nullptr;
    const std::string ts_now = std::to_string(ch.now());
    const std::string nonce_s(nonce);
    co_return co_await answer(ch_ptr, std::move(*in), cfg.reply_budget_ms, [&](std::string xml) {
        if (!crypt) return text_response(std::move(xml), {}, "text/xml; charset=utf-8");
        auto sealed = crypt->seal_reply_xml(xml, ts_now, nonce_s);
        if (!sealed) return fail(sealed.error(), "sealing the reply");
        return text_response(std::move(*sealed), {}, "text/xml; charset=utf-8");
    });
}

// ---- WeCom ----

asio::awaitable<http::response> wecom_get(std::shared_ptr<const channel> ch_ptr,
                                          http::request& req,
                                          const http::route_params& params) {
    const channel& ch = *ch_ptr;
    const auto* acc = find_account(ch, params);
    if (!acc || !acc->wecom) co_return unknown_tenant();
    const auto q = parse_query(req.query());
    if (!q) co_return fail(wechat_errc::bad_field, "query string");
    const query qs{*q};
    const int skew = acc->wechat ? acc->wechat->max_clock_skew_s : 300;
    if (auto ts = check_timestamp(qs.get("timestamp"), ch.now(), skew); !ts)
        co_return fail(ts.error());
    const auto echostr = qs.get("echostr");
    if (!acc->wecom_crypt->check_signature(qs.get("msg_signature"), qs.get("timestamp"),
                                           qs.get("nonce"), echostr))
        co_return fail(wechat_errc::bad_signature);
    auto plain = acc->wecom_crypt->decrypt(echostr);
    if (!plain) co_return fail(plain.error(), "echostr");
    co_return text_response(std::move(*plain), "url verification");
}

asio::awaitable<http::response> wecom_post(std::shared_ptr<const channel> ch_ptr,
                                           http::request& req,
                                           const http::route_params& params) {
    const channel& ch = *ch_ptr;
    const auto* acc = find_account(ch, params);
    if (!acc || !acc->wecom) co_return unknown_tenant();
    if (!acceptable_content_type(req.header("content-type")))
        co_return http::json_error(415, "unsupported_media_type", "expected XML");
    const auto q = parse_query(req.query());
    if (!q) co_return fail(wechat_errc::bad_field, "query string");
    const query qs{*q};
    const auto timestamp = qs.get("timestamp");
    const auto nonce = qs.get("nonce");
    const int skew = acc->wechat ? acc->wechat->max_clock_skew_s : 300;
    if (auto ts = check_timestamp(timestamp, ch.now(), skew); !ts) co_return fail(ts.error());

    auto envelope = parse_wechat_xml(req.body, ch.opts.max_xml_bytes);
    if (!envelope) co_return fail(envelope.error(), "body");
    const auto enc = envelope->get("Encrypt");
    if (enc.empty()) co_return fail(wechat_errc::missing_field, "Encrypt");
    const auto& crypt = *acc->wecom_crypt;
    if (!crypt.check_signature(qs.get("msg_signature"), timestamp, nonce, enc))
        co_return fail(wechat_errc::bad_signature, "msg_signature");
    const auto& agent = acc->wecom->agent_id;
    if (!agent.empty() && envelope->has("AgentID") && envelope->get("AgentID") != agent)
        co_return fail(wechat_errc::agent_mismatch, std::string(envelope->get("AgentID")));
    auto plaintext = crypt.decrypt(enc);
    if (!plaintext) co_return fail(plaintext.error());
    std::string detail;
    auto in = parse_inbound(*plaintext, acc->tenant, wechat_flavor::wecom, &detail,
                            ch.opts.max_xml_bytes);
    if (!in) co_return fail(in.error(), detail);
    // The signed plaintext is authoritative: a callback for another app of the corp is not ours.
    if (!agent.empty() && !in->agent_id.empty() && in->agent_id != agent)
        co_return fail(wechat_errc::agent_mismatch, in->agent_id);

    const std::string ts_now = std::to_string(ch.now());
    const std::string nonce_s(nonce);
    co_return co_await answer(
        ch_ptr, std::move(*in), acc->wecom->reply_budget_ms, [&](std::string xml) {
            auto sealed = crypt.seal_reply_xml(xml, ts_now, nonce_s);
            if (!sealed) return fail(sealed.error(), "sealing the reply");
            return text_response(std::move(*sealed), {}, "text/xml; charset=utf-8");
        });
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size()) return std::nullopt;
        const int hi = hex_value(s[i + 1]);
        const int lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

} // namespace

std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view q) {
    std::vector<std::pair<std::string, std::string>> out;
    while (!q.empty()) {
        const auto amp = q.find('&');
        const auto part = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        if (part.empty()) continue;
        const auto eq = part.find('=');
        auto k = percent_decode(part.substr(0, eq));
        auto v =
            percent_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
        if (!k || !v) return std::nullopt;
        out.emplace_back(std::move(*k), std::move(*v));
    }
    return out;
}

passive_split split_passive(std::vector<model::reply> replies,
                            const model::chat_ref* own,
                            std::string_view own_channel) {
    passive_split out;
    if (own || !own_channel.empty()) {
        std::vector<model::reply> mine;
        for (auto& r : replies) {
            const bool same_chat = !own || r.chat == *own;
            const bool same_channel =
                own_channel.empty() || r.channel.empty() || r.channel == own_channel;
            (same_chat && same_channel ? mine : out.pushes).push_back(std::move(r));
        }
        replies = std::move(mine);
    }
    if (replies.empty()) return out;
    const bool all_text = std::all_of(replies.begin(), replies.end(), [](const model::reply& r) {
        return !r.news && !r.image_media_id;
    });
    if (all_text) {
        model::reply joined = std::move(replies.front());
        for (std::size_t i = 1; i < replies.size(); ++i) {
            if (replies[i].text.empty()) continue;
            if (!joined.text.empty()) joined.text += "\n\n";
            joined.text += replies[i].text;
        }
        if (!joined.text.empty()) out.passive = std::move(joined);
        return out;
    }
    out.passive = std::move(replies.front());
    for (std::size_t i = 1; i < replies.size(); ++i)
        out.pushes.push_back(std::move(replies[i]));
    return out;
}

void add_wechat_routes(http::router& router,
                       const config& cfg,
                       dialogue::dispatcher& dispatcher,
                       wechat_channel_options options) {
    auto ch = std::make_shared<channel>(channel{dispatcher, std::move(options), {}});
    for (const auto& t : cfg.tenants) {
        if (!t.wechat && !t.wecom) continue;
        account a;
        a.tenant = t.id;
        if (t.wechat) {
            a.wechat = &*t.wechat;
            if (!t.wechat->aes_key.empty()) {
                auto c = msg_crypt::make(t.wechat->token, t.wechat->aes_key, t.wechat->appid);
                if (!c)
                    throw std::invalid_argument("tenant " + t.id +
                                                ": wechat.aes_key: " + c.error().message());
                a.wechat_crypt = std::move(*c);
            }
        }
        if (t.wecom) {
            a.wecom = &*t.wecom;
            auto c = msg_crypt::make(t.wecom->token, t.wecom->aes_key, t.wecom->corp_id);
            if (!c)
                throw std::invalid_argument("tenant " + t.id +
                                            ": wecom.aes_key: " + c.error().message());
            a.wecom_crypt = std::move(*c);
        }
        ch->accounts.emplace(t.id, std::move(a));
    }
    router.add("GET", "/wechat/{tenant}", [ch](http::request& req, const http::route_params& p) {
        return oa_get(ch, req, p);
    });
    router.add("POST", "/wechat/{tenant}", [ch](http::request& req, const http::route_params& p) {
        return oa_post(ch, req, p);
    });
    router.add("GET", "/wecom/{tenant}", [ch](http::request& req, const http::route_params& p) {
        return wecom_get(ch, req, p);
    });
    router.add("POST", "/wecom/{tenant}", [ch](http::request& req, const http::route_params& p) {
        return wecom_post(ch, req, p);
    });
}

} // namespace daiban::bot::channels
