// bot layer, channels: the WeChat official-account and WeCom callback routes (GET/POST
// /wechat/{tenant}, /wecom/{tenant}): verify, decrypt, parse, hand the turn to the dispatcher, and
// answer within the reply budget — the passive reply when the handler is quick, "success" when it
// is not (its replies then leave through `push_late`, i.e. the outbox). Handlers never know which.
#pragma once

#include "bot/channels/wechat_crypto.hpp"
#include "bot/channels/wechat_xml.hpp"
#include "bot/config.hpp"
#include "bot/dialogue/dispatcher.hpp"
#include "bot/http/router.hpp"
#include "bot/replies/push.hpp"
#include "model/turn.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::bot::channels {

// Replies that cannot go back passively: the handler missed the budget, it said more than one
// thing (WeChat allows one passive reply per message), or a reply is meant for another chat (an
// agent's group, another person). `channel` is the turn's ("wechat" | "wecom"), so the outbox can
// route private replies back the same way; `message_id` (the platform's) makes idempotency keys
// stable. The outbox plugs in here.
using push_late_fn = replies::queue_replies_fn;

struct wechat_channel_options {
    push_late_fn push_late;                    // unset: late replies are logged and dropped
    std::function<std::int64_t()> now;         // Unix seconds; unset: the system clock
    std::function<void(std::string_view)> log; // for events outside a request; unset: silent
    std::size_t max_xml_bytes = default_max_xml_bytes;
};

// Percent-decodes a query string into (name, value) pairs. '+' stays '+': WeChat's echostr and
// Encrypt are base64, and decoding '+' as a space is the classic way to break them. nullopt on a
// malformed escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view q);

// The one passive reply and the rest. Replies to a chat other than `own` (when given) are always
// pushed: a passive reply can only reach the sender. So are replies a handler sent on another
// channel than `own_channel` (when given; model::reply::channel): the passive reply travels on
// the request's channel only. Several text-only replies are joined (blank line between) into one
// passive text, which spends none of the user's customer-service quota; otherwise the first
// reply is passive and the others are pushed.
struct passive_split {
    std::optional<model::reply> passive;
    std::vector<model::reply> pushes;
};
passive_split split_passive(std::vector<model::reply> replies,
                            const model::chat_ref* own = nullptr,
                            std::string_view own_channel = {});

// The four routes for every tenant that configures wechat / wecom. `cfg` and `dispatcher` must
// outlive the router. Bad configuration (an EncodingAESKey that is not 43 base64 characters)
// throws std::invalid_argument here, at start-up, naming the tenant.
//
// Concurrency: a route handler must run on a single-threaded io_context or a strand (the session's
// executor): the reply-budget timer is woken by a post to that executor from whichever thread the
// dispatcher finishes on.
void add_wechat_routes(http::router& router,
                       const config& cfg,
                       dialogue::dispatcher& dispatcher,
                       wechat_channel_options options = {});

} // namespace daiban::bot::channels
