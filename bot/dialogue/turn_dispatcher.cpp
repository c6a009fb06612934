// bot layer, dialogue: running one turn on its conversation's shard (DESIGN §2).
#include "bot/dialogue/turn_dispatcher.hpp"

#include "bot/json_text.hpp"
#include "bot/log.hpp"
#include "bot/nlu/normalize.hpp"
#include "bot/outbound/delivery.hpp"
#include "bot/outbound/media.hpp"
#include "handlers/registry.hpp"
#include "state/conversation_store.hpp"

#include <boost/asio.hpp>
#include <nlohmann/json.hpp>

namespace daiban::bot::dialogue {

namespace asio = boost::asio;
using boost::system::result;
using nlohmann::json;

std::string encode_replies(const std::vector<handlers::reply>& replies) {
    // Written directly (bot/json_text.hpp): this runs for every message. decode_replies and the
    // unit tests read it back with a real parser.
    std::string out;
    out.reserve(64 + 256 * replies.size());
    out.push_back('[');
    auto field = [&out](const char* name, std::string_view v) {
        out.append(name);
        append_json_string(out, v);
    };
    for (const auto& r : replies) {
        if (out.size() > 1) out.push_back(',');
        out.append(r.chat.kind == handlers::chat_kind::group ? R"({"chat":{"type":"group",)"
                                                             : R"({"chat":{"type":"private",)");
        field(R"("id":)", r.chat.id);
        field(R"(},"text":)", r.text);
        out.append(R"(,"mention":[)");
        for (std::size_t i = 0; i < r.mention.size(); ++i) {
            if (i) out.push_back(',');
            append_json_string(out, r.mention[i]);
        }
        out.push_back(']');
        if (r.news) {
            field(R"(,"news":{"title":)", r.news->title);
            field(R"(,"description":)", r.news->description);
            field(R"(,"url":)", r.news->url);
            field(R"(,"pic_url":)", r.news->pic_url);
            out.push_back('}');
        }
        if (r.image_media_id) field(R"(,"image_media_id":)", *r.image_media_id);
        // Only when a handler chose it: a WeChat retry answered from the stored replies must
        // know which of them were never the passive reply's to give.
        if (!r.channel.empty()) field(R"(,"channel":)", r.channel);
        out.push_back('}');
    }
    out.push_back(']');
    return out;
}

std::vector<handlers::reply> decode_replies(std::string_view text) {
    std::vector<handlers::reply> out;
    auto arr = json::parse(text, nullptr, false);
    if (!arr.is_array()) return out;
    for (const auto& j : arr) {
        if (!j.is_object()) continue;
        handlers::reply r;
        const auto chat = j.value("chat", json::object());
        r.chat.kind = chat.value("type", "private") == "group" ? handlers::chat_kind::group
                                                               : handlers::chat_kind::private_chat;
        r.chat.id = chat.value("id", "");
        r.text = j.value("text", "");
        if (auto m = j.find("mention"); m != j.end() && m->is_array())
            for (const auto& id : *m)
                if (id.is_string()) r.mention.push_back(id.get<std::string>());
        if (auto n = j.find("news"); n != j.end() && n->is_object())
            r.news = handlers::reply::article{n->value("title", ""), n->value("description", ""),
                                              n->value("url", ""), n->value("pic_url", "")};
        if (auto m = j.find("image_media_id"); m != j.end() && m->is_string())
            r.image_media_id = m->get<std::string>();
        r.channel = j.value("channel", "");
        out.push_back(std::move(r));
    }
    return out;
}

namespace {
constexpr menu_action menu_actions[] = {
    {"GUIDE", "办事指南", "help"},
    {"CASE_NEW", "我要代办", "open_case"},
    {"BOOK", "预约办理", "book_appointment"},
    {"PROGRESS", "进度查询", "query_progress"},
    {"CONTACT_AGENT", "联系代理员", "contact_agent"},
    {"RATE", "评价", "rate"},
};
} // namespace

const menu_action* find_menu_action(std::string_view key) {
    for (const auto& a : menu_actions)
        if (a.key == key) return &a;
    return nullptr;
}

std::vector<std::string_view> menu_action_keys() {
    std::vector<std::string_view> keys;
    for (const auto& a : menu_actions)
        keys.push_back(a.key);
    return keys;
}

const menu_action* find_menu_phrase(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
        text.remove_suffix(1);
    for (const auto& a : menu_actions)
        if (a.phrase == text) return &a;
    return nullptr;
}

turn_dispatcher::turn_dispatcher(shard_set& shards,
                                 const tenant_registry& tenants,
                                 const handlers::clock& clock)
    : shards_(shards), tenants_(tenants), clock_(clock) {}

asio::awaitable<result<turn_outcome>> turn_dispatcher::submit(handlers::turn t) {
    auto& sh = shards_.owner(t.tenant + '\x1f' + t.conversation_key());
    // Already on the owning shard (the connection was accepted there): no hop needed.
    const auto ex = co_await asio::this_coro::executor;
    if (const auto* here = ex.target<asio::io_context::executor_type>();
        here && &here->context() == &sh.ioc)
        co_return co_await run(sh, std::move(t));
    // Hop to the owning shard and come back here with the outcome.
    co_return co_await asio::co_spawn(sh.ioc, run(sh, std::move(t)), asio::use_awaitable);
}

asio::awaitable<result<turn_outcome>> turn_dispatcher::run(shard& sh, handlers::turn t) {
    const std::string conv_key = t.conversation_key();
    auto tenant = tenants_.find(t.tenant);
    if (!tenant)
        co_return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);

    auto lane = co_await sh.lanes.acquire(t.tenant + '\x1f' + conv_key);
    state::conversation_store store(sh.redis);
    auto claim = co_await store.begin(t.tenant, t.chat.id, t.id, conv_key);
    if (!claim) co_return claim.error();

    turn_outcome outcome;
    if (claim->duplicate) {
        outcome.duplicate = true;
        outcome.first_finished = !claim->stored.empty();
        if (claim->stored.starts_with("[")) outcome.replies = decode_replies(claim->stored);
        co_return outcome;
    }

    auto& conv = claim->conversation;
    const handlers::conversation loaded = conv; // finish writes only what this turn changed
    const std::int64_t now_ms = clock_.now_ms();
    const std::int64_t now = now_ms / 1000;
    // A fired timer (bot/timers) is no resident speaking: no NLU, and the bot's open question
    // to the resident stays open.
    const bool timer_turn = t.channel == "timer";
    std::optional<handlers::pending_question> pending;
    if (!timer_turn) {
        // The bot's last question is answered (or dropped) by this turn; a handler may ask anew.
        pending = std::move(conv.pending);
        conv.pending.reset();
    }
    // A menu click carries a key, not words: it reads as the phrase it stands for and means its
    // intent outright (the NLU still fills slots, e.g. dates, from the phrase).
    const menu_action* menu = nullptr;
    if (t.kind == handlers::turn_kind::event && t.event && t.event->name == "menu") {
        if ((menu = find_menu_action(t.event->key)) && t.text.empty()) t.text = menu->phrase;
    } else if (t.kind == handlers::turn_kind::text) {
        // A menu label typed as it is (residents copy what they see) means what the button
        // means, whatever the classifier makes of the bare words.
        menu = find_menu_phrase(t.text);
    }
    handlers::intent understood;
    if (timer_turn)
        understood.name = "timer";
    else
        understood = tenant->nlu->parse(t.text, nlu::reference_time{now, 8 * 60},
                                        pending ? &*pending : nullptr);
    if (menu) {
        understood.name = std::string(menu->intent);
        understood.confidence = 1.0;
    }
    if (!understood.normalized.empty())
        conv.locale = understood.traditional ? "zh-Hant" : "zh-Hans";

    const auto calendar = tenants_.calendar();
    handlers::context ctx{t,   understood, conv, tenant->data.get(), handlers::texts::zh_hans(),
                          now, {}};
    ctx.redis = &sh.redis;
    ctx.calendar = calendar.get();
    ctx.data_dir = data_dir_;
    ctx.asked = pending ? &*pending : nullptr;
    ctx.now_ms = now_ms;
    ctx.group_channel = outbound::group_channel(tenant->cfg);
    ctx.staff_channels = outbound::staff_channels(tenant->cfg);
    ctx.fetch_media = [&sh, &cfg = tenant->cfg, &channel = t.channel](const handlers::media_ref& m,
                                                                      std::size_t max_bytes) {
        return outbound::fetch_turn_media(sh.http, sh.tokens, cfg, channel, m, max_bytes);
    };
    // In groups the bot speaks only when addressed: mentioned, a command, or its own question.
    const bool addressed = t.chat.kind == handlers::chat_kind::private_chat || t.mentions_bot ||
                           pending || understood.name.starts_with("agent_");
#ifdef DAIBAN_TEST_HOOKS
    // Test builds only (CMake DAIBAN_TEST_HOOKS): this exact text makes the handler take
    // DAIBAN_TEST_SLOW_MS (1500) longer, so e2e tests can watch a reply miss WeChat's budget.
    if (const char* slow = std::getenv("DAIBAN_TEST_SLOW_TEXT"); slow && *slow && t.text == slow) {
        const char* ms = std::getenv("DAIBAN_TEST_SLOW_MS");
        asio::steady_timer wait(sh.ioc, std::chrono::milliseconds(ms ? std::atoi(ms) : 1500));
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    }
#endif
    bool timer_failed = false;
    if (addressed || handlers::may_intercept(ctx)) {
        try {
            // Group privacy warnings and typed agent commands come first (handlers/intercept).
            if (timer_turn) {
                co_await handlers::handle_timer(ctx);
            } else {
                const bool intercepted = co_await handlers::intercept(ctx);
                if (!intercepted && addressed)
                    co_await handlers::find_handler(understood.name)(ctx);
            }
        } catch (const std::exception& e) {
            log::error(std::string("event=handler_failed intent=") + understood.name + " what=\"" +
                       e.what() + "\"");
            ctx.replies.clear();
            // Nobody waits for a timer's reply: the firing fails and is retried later.
            if (timer_turn)
                timer_failed = true;
            else
                ctx.say(ctx.text.get("handler_failed"));
        }
    }
    if (timer_failed) {
        co_await store.abandon(t.tenant, t.chat.id, t.id);
        co_return boost::system::errc::make_error_code(boost::system::errc::io_error);
    }
    if (!timer_turn) conv.last_seen = now; // a timer is not the person writing
    outcome.intent = understood.name;
    outcome.replies = std::move(ctx.replies);
    // A resident who writes Traditional Chinese reads the replies meant for them in Traditional
    // (groups and agents keep the table's Simplified).
    if (conv.locale == "zh-Hant")
        for (auto& r : outcome.replies)
            if (r.chat == t.chat ||
                (r.chat.kind == handlers::chat_kind::private_chat && r.chat.id == t.from_id))
                r.text = nlu::to_traditional(r.text);

    // Channels that answer retries with the first reply (WeChat) need the replies kept.
    const std::string stored =
        t.channel == "hook" ? std::string("1") : encode_replies(outcome.replies);
    // (The conversation's last_seen is also when WeChat's 48 h window opened: state/contact_store.)
    auto finished =
        co_await store.finish(t.tenant, t.chat.id, t.id, conv_key, loaded, conv, stored);
    if (!finished) {
        co_await store.abandon(t.tenant, t.chat.id, t.id);
        co_return finished.error();
    }
    co_return outcome;
}

} // namespace daiban::bot::dialogue
