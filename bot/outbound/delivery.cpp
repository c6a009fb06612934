// bot layer, outbound: deliverer (see delivery.hpp).
#include "bot/outbound/delivery.hpp"

#include "bot/channels/json_hook.hpp"
#include "bot/json_text.hpp"
#include "bot/log.hpp"
#include "bot/outbound/errors.hpp"
#include "bot/outbound/service_window.hpp"
#include "bot/replies/codec.hpp"
#include "bot/replies/routing.hpp"
#include "common/sha256.hpp"
#include "state/token_store.hpp"

#include <boost/asio.hpp>

#include <chrono>

namespace daiban::bot::outbound {

namespace asio = boost::asio;
using nlohmann::json;
using outcome = delivery_result::outcome;

namespace {

std::string dump(const json& j) {
    // Raw UTF-8, never \u escapes: WeChat refuses them (40033) or shows them literally.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

delivery_result result_of(outcome o, std::string reason) {
    delivery_result r;
    r.what = o;
    r.reason = std::move(reason);
    return r;
}

// Platform errcodes that pass with time; everything else unknown is permanent.
bool transient(int errcode) {
    return errcode == -1 || errcode == 45009 || errcode == 45011 || errcode == 45047 ||
           errcode == 45033 || errcode == 40001 || errcode == 42001 || errcode == 40014;
}

delivery_result from_errcode(const api_reply& r, const std::string& what) {
    if (r.errcode == 0) return result_of(outcome::sent, what);
    auto res = result_of(transient(r.errcode) ? outcome::retry : outcome::permanent,
                         what + " errcode " + std::to_string(r.errcode) + " " + r.errmsg);
    return res;
}

std::int64_t unix_now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

std::string masked_account_id(const std::string& id) {
    return id.size() <= 4 ? std::string("****") : "…" + id.substr(id.size() - 4);
}

std::string wechat_custom_message(const std::string& openid, const model::reply& r) {
    json j{{"touser", openid}};
    if (r.image_media_id) {
        j["msgtype"] = "image";
        j["image"] = {{"media_id", *r.image_media_id}};
    } else if (r.news) {
        j["msgtype"] = "news";
        json article{{"title", r.news->title},
                     {"description", r.news->description},
                     {"url", r.news->url},
                     {"picurl", r.news->pic_url}};
        j["news"] = {{"articles", json::array({article})}};
    } else {
        j["msgtype"] = "text";
        j["text"] = {{"content", r.text}};
    }
    return dump(j);
}

asio::awaitable<delivery_result> deliverer::deliver(const replies::push& p) {
    const tenant_config* t = cfg_.find_tenant(p.tenant);
    if (!t) co_return result_of(outcome::permanent, "unknown tenant " + p.tenant);
    if (p.channel == "hook") co_return co_await to_hook(*t, p);
    if (p.channel == "wechat") co_return co_await to_wechat(*t, p);
    if (p.channel == "wecom") co_return co_await to_wecom(*t, p);
    co_return result_of(outcome::permanent, "unknown channel '" + p.channel + "'");
}

asio::awaitable<delivery_result> deliverer::to_hook(const tenant_config& t,
                                                    const replies::push& p) {
    if (!t.hook || t.hook->callback_url.empty())
        co_return result_of(outcome::permanent, "hook.callback_url is not configured");
    std::vector<model::reply> one{p.reply};
    one.front().channel.clear(); // it travels on the hook: the bridge gets DESIGN §3's shape
    std::string body = R"({"replies":)" + replies::encode_replies(one) + R"(,"idempotency_key":)";
    append_json_string(body, p.idempotency_key);
    // When it was sent (wall clock, each try anew), signed with the rest: the receiver refuses
    // an old callback replayed after it has forgotten the key (bridge: callback_max_age_s).
    const auto sent_at = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    body += R"(,"time":)" + std::to_string(sent_at) + '}';
    http_request req;
    req.method = "POST";
    req.url = t.hook->callback_url;
    req.body = std::move(body);
    req.headers.emplace_back("Content-Type", "application/json");
    req.headers.emplace_back("X-Daiban-Signature",
                             channels::hook_signature(t.hook->secret, req.body));
    auto res = co_await http_.send(std::move(req));
    if (!res) co_return result_of(outcome::retry, "callback: " + res.error().message());
    const int s = res->status;
    if (s >= 200 && s < 300) co_return result_of(outcome::sent, "callback " + std::to_string(s));
    const bool again = s == 408 || s == 425 || s == 429 || s >= 500;
    co_return result_of(again ? outcome::retry : outcome::permanent,
                        "callback answered " + std::to_string(s));
}

asio::awaitable<delivery_result> deliverer::to_wechat(const tenant_config& t,
                                                      const replies::push& p) {
    if (!t.wechat) co_return result_of(outcome::permanent, "tenant has no wechat section");
    if (p.reply.chat.kind == model::chat_kind::group)
        co_return result_of(outcome::permanent, "an official account cannot post to a group");
    const auto acc = *account_of(t, "wechat");
    auto r = co_await tokens_.call(acc, "POST", "/cgi-bin/message/custom/send",
                                   wechat_custom_message(p.reply.chat.id, p.reply));
    if (!r) {
        const bool config_problem = r.error() == outbound_errc::not_configured;
        co_return result_of(config_problem ? outcome::permanent : outcome::retry,
                            "custom/send: " + r.error().message());
    }
    if (r->errcode == 45015 || r->errcode == 43004)
        co_return co_await window_closed(t, p, r->errcode);
    co_return from_errcode(*r, "custom/send");
}

asio::awaitable<delivery_result>
deliverer::window_closed(const tenant_config& t, const replies::push& p, int errcode) {
    const std::string why = errcode == 45015 ? "48 h customer-service window closed (45015)"
                                             : "resident does not follow the account (43004)";
    if (!t.wechat->template_id.empty()) {
        const auto acc = *account_of(t, "wechat");
        std::string text = p.reply.news ? p.reply.news->title : p.reply.text;
        json body{{"touser", p.reply.chat.id},
                  {"template_id", t.wechat->template_id},
                  {"client_msg_id", p.idempotency_key.substr(0, 64)},
                  {"data", {{t.wechat->template_field, {{"value", text}}}}}};
        auto r = co_await tokens_.call(acc, "POST", "/cgi-bin/message/template/send", dump(body));
        if (!r) co_return result_of(outcome::retry, "template/send: " + r.error().message());
        co_return from_errcode(*r, why + "; template/send");
    }
    // No template: a person must follow up — the one policy of service_window.hpp, so a push
    // whose closed window we missed ends as one we saw coming: the contact agent privately with
    // the content, else a content-free note to the village group. Their keys derive from this
    // push's, so a redelivery of it queues the same follow-up and the outbox keeps one.
    delivery_result res = result_of(outcome::permanent, why + "; no template_id");
    const auto rt = tenants_ ? tenants_->find(t.id) : nullptr;
    std::vector<replies::push> instead;
    if (rt) instead = co_await reach_through_agents(redis_, *rt, p);
    if (instead.empty()) {
        log::warn("event=push_undeliverable tenant=" + t.id + " channel=wechat user=" +
                  masked_account_id(p.reply.chat.id) + " reason=\"" + why +
                  "; no template_id, no contact agent reachable privately and no village "
                  "group known for an agent task\"");
        co_return res;
    }
    for (auto& q : instead) {
        if (q.reply.chat.kind == model::chat_kind::group)
            res.reason += "; agent task to group " + q.reply.chat.id;
        else
            res.reason += "; relayed privately to the contact agent on " + q.channel;
        res.follow_ups.push_back(std::move(q));
    }
    co_return res;
}

asio::awaitable<delivery_result> deliverer::to_wecom(const tenant_config& t,
                                                     const replies::push& p) {
    if (!t.wecom) co_return result_of(outcome::permanent, "tenant has no wecom section");
    const auto& w = *t.wecom;
    if (p.reply.chat.kind == model::chat_kind::group) {
        auto hook = w.group_webhooks.find(p.reply.chat.id);
        if (hook == w.group_webhooks.end())
            co_return result_of(outcome::permanent,
                                "no wecom.group_webhooks entry for group " + p.reply.chat.id);
        // 20 per rolling minute per webhook, across replicas: past it, wait until the oldest
        // message of the window is a minute old.
        // The window is kept a second longer than the platform's: its clock may count whole
        // seconds, and a 21st message a few ms inside its minute would be refused (45009).
        state::token_store window(redis_);
        const auto hook_id = sha256_hex(hook->second).substr(0, 12);
        constexpr std::int64_t window_ms = 61'000;
        auto wait = co_await window.reserve_webhook(t.id, hook_id, p.idempotency_key, unix_now_ms(),
                                                    window_ms);
        if (!wait) co_return result_of(outcome::retry, "webhook window: " + wait.error().message());
        if (*wait > 0) {
            auto d = result_of(outcome::defer, "webhook 20 per minute reached");
            d.after = std::chrono::milliseconds(*wait);
            co_return d;
        }
        json text{{"content",
                   p.reply.news ? p.reply.news->title + "\n" + p.reply.news->url : p.reply.text}};
        if (!p.reply.mention.empty()) text["mentioned_list"] = p.reply.mention;
        json body{{"msgtype", "text"}, {"text", text}};
        http_request req;
        req.method = "POST";
        req.url = w.api_base + "/cgi-bin/webhook/send?key=" + url_encode(hook->second);
        req.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
        req.body = dump(body);
        auto res = co_await http_.send(std::move(req));
        if (!res) co_return result_of(outcome::retry, "webhook: " + res.error().message());
        auto r = parse_api_reply(std::move(*res));
        if (!r) co_return result_of(outcome::retry, "webhook: " + r.error().message());
        if (r->errcode == 45009) {
            // Someone else posts through this webhook too: the platform's count is not ours.
            co_await window.release_webhook(t.id, hook_id, p.idempotency_key);
            auto d = result_of(outcome::defer, "webhook rate limit (45009)");
            d.after = std::chrono::seconds(60);
            co_return d;
        }
        co_return from_errcode(*r, "webhook/send");
    }
    const auto acc = *account_of(t, "wecom");
    json body{{"touser", p.reply.chat.id}, {"agentid", std::atoll(w.agent_id.c_str())}};
    if (p.reply.news) {
        body["msgtype"] = "news";
        json article{{"title", p.reply.news->title},
                     {"description", p.reply.news->description},
                     {"url", p.reply.news->url},
                     {"picurl", p.reply.news->pic_url}};
        body["news"] = {{"articles", json::array({article})}};
    } else {
        body["msgtype"] = "text";
        body["text"] = {{"content", p.reply.text}};
    }
    auto r = co_await tokens_.call(acc, "POST", "/cgi-bin/message/send", dump(body));
    if (!r) {
        const bool config_problem = r.error() == outbound_errc::not_configured;
        co_return result_of(config_problem ? outcome::permanent : outcome::retry,
                            "message/send: " + r.error().message());
    }
    co_return from_errcode(*r, "message/send");
}

} // namespace daiban::bot::outbound
