// bot layer, dialogue: running one turn on its conversation's shard (DESIGN §2).
#include "bot/dialogue/turn_dispatcher.hpp"

#include "bot/dialogue/understand.hpp"
#include "bot/log.hpp"
#include "bot/nlu/normalize.hpp"
#include "bot/outbound/media.hpp"
#include "bot/replies/codec.hpp"
#include "bot/replies/routing.hpp"
#include "handlers/run.hpp"
#include "state/conversation_store.hpp"

#include <boost/asio.hpp>

namespace daiban::bot::dialogue {

namespace asio = boost::asio;
using boost::system::result;

asio::awaitable<bool> run_handler(handlers::context& ctx, bool timer_turn) {
    try {
        co_await handlers::run(ctx);
        co_return true;
    } catch (const std::exception& e) {
        log::error(std::string("event=handler_failed intent=") +
                   std::string(ctx.understood.name()) + " what=\"" + e.what() + "\"");
        ctx.replies.clear();
        // Nobody waits for a timer's reply: the firing fails and is retried later.
        if (!timer_turn) ctx.say(ctx.text.get("handler_failed"));
    }
    co_return false;
}

turn_dispatcher::turn_dispatcher(shard_set& shards,
                                 const tenant_registry& tenants,
                                 const handlers::clock& clock,
                                 std::string data_dir,
                                 std::string owner,
                                 state::redis::config redis,
                                 std::string console_url)
    : shards_(shards), tenants_(tenants), clock_(clock), owner_(owner),
      console_url_(std::move(console_url)), order_(std::move(redis), std::move(owner)) {
    for (std::size_t i = 0; i < shards_.size(); ++i)
        stores_.push_back(std::make_unique<handlers::redis_stores>(shards_.at(i).redis, data_dir));
}

asio::awaitable<result<turn_outcome>> turn_dispatcher::submit(model::turn t) {
    auto& sh = shards_.owner(t.tenant + '\x1f' + t.conversation_key());
    // Already on the owning shard (the connection was accepted there): no hop needed.
    const auto ex = co_await asio::this_coro::executor;
    if (const auto* here = ex.target<asio::io_context::executor_type>();
        here && &here->context() == &sh.ioc)
        co_return co_await run(sh, std::move(t));
    // Hop to the owning shard and come back here with the outcome.
    co_return co_await asio::co_spawn(sh.ioc, run(sh, std::move(t)), asio::use_awaitable);
}

asio::awaitable<result<turn_outcome>> turn_dispatcher::run(shard& sh, model::turn t) {
    const std::string conv_key = t.conversation_key();
    if (!tenants_.find(t.tenant))
        co_return boost::system::errc::make_error_code(boost::system::errc::invalid_argument);

    // This process's turns of the conversation wait in its lane; then the replicas' turns wait
    // in the conversation's turn queue, each for its ticket.
    auto lane = co_await sh.lanes.acquire(t.tenant + '\x1f' + conv_key);
    state::conversation_store store(sh.redis, owner_);
    // One write claims the message, loads the conversation and takes the ticket.
    auto claim = co_await store.begin(t.tenant, t.chat.id, t.id, conv_key);
    if (!claim) co_return claim.error();
    const std::int64_t ticket = claim->ticket.ticket;
    if (!claim->ticket.mine()) {
        // A turn of this conversation runs on another replica: wait for it, then see what it
        // (and any before it) recorded.
        auto waited = co_await order_.wait_turn(sh.redis, t.tenant, conv_key, claim->ticket);
        if (!waited)
            waited = co_await store.look_again(t.tenant, t.chat.id, t.id, conv_key, *claim);
        if (waited) {
            if (claim->ours()) co_await store.abandon(t.tenant, t.chat.id, t.id);
            co_await order_.end_turn(sh.redis, t.tenant, conv_key, ticket); // if served
            co_return waited;
        }
    }
    result<turn_outcome> outcome =
        boost::system::errc::make_error_code(boost::system::errc::io_error);
    std::exception_ptr failed;
    bool passed = false; // a recorded turn passed its ticket in the same script
    try {
        outcome = co_await run_turn(sh, t, conv_key, store, *claim, passed);
    } catch (...) {
        failed = std::current_exception();
    }
    if (!passed) co_await order_.end_turn(sh.redis, t.tenant, conv_key, ticket);
    if (failed) std::rethrow_exception(failed);
    co_return outcome;
}

asio::awaitable<result<turn_outcome>> turn_dispatcher::run_turn(shard& sh,
                                                                model::turn& t,
                                                                const std::string& conv_key,
                                                                state::conversation_store& store,
                                                                state::turn_claim& claim,
                                                                bool& ticket_passed) {
    auto tenant = tenants_.find(t.tenant);
    turn_outcome outcome;
    if (claim.in_progress) {
        outcome.in_progress = true;
        co_return outcome;
    }
    if (claim.duplicate) {
        outcome.duplicate = true;
        if (claim.stored.starts_with("[")) outcome.replies = replies::decode_replies(claim.stored);
        co_return outcome;
    }
    if (claim.taken_over)
        log::warn("event=claim_taken_over tenant=" + t.tenant + " channel=" + t.channel +
                  " detail=\"a delivery died between claiming this message and recording its "
                  "turn; running it now\"");
#ifdef DAIBAN_TEST_HOOKS
    // Test builds only: die between the claim and the commit, the window a resend must cover
    // (tests/e2e/crash_window.test.js). _Exit: no cleanup runs, as with kill -9.
    if (const char* crash = std::getenv("DAIBAN_TEST_CRASH_AFTER_CLAIM");
        crash && *crash && t.text == crash)
        std::_Exit(137);
#endif

    auto& conv = claim.conversation;
    const model::conversation loaded = conv; // finish writes only what this turn changed
    const std::int64_t now_ms = clock_.now_ms();
    const std::int64_t now = now_ms / 1000;
    // A fired timer (bot/timers) is no resident speaking: no NLU, and the bot's open question
    // to the resident stays open.
    const bool timer_turn = t.channel == "timer";
    std::optional<model::pending_question> pending;
    if (!timer_turn) {
        // The bot's last question is answered (or dropped) by this turn; a handler may ask anew.
        pending = std::move(conv.pending);
        conv.pending.reset();
    }
    const model::intent understood =
        understand(t, *tenant->nlu, pending ? &*pending : nullptr, now);
    if (!understood.normalized.empty())
        conv.locale = understood.traditional ? "zh-Hant" : "zh-Hans";

    const auto calendar = tenants_.calendar();
    handlers::context ctx{t,
                          understood,
                          conv,
                          tenant->data.get(),
                          handlers::texts::zh_hans(),
                          stores_[sh.index]->view,
                          now,
                          {}};
    ctx.calendar = calendar.get();
    ctx.asked = pending ? &*pending : nullptr;
    ctx.now_ms = now_ms;
    ctx.group_channel = replies::group_channel(tenant->cfg);
    ctx.staff_channels = replies::staff_channels(tenant->cfg);
    ctx.console_url = console_url_;
    ctx.fetch_media = [&sh, &cfg = tenant->cfg, &channel = t.channel](const model::media_ref& m,
                                                                      std::size_t max_bytes) {
        return outbound::fetch_turn_media(sh.http, sh.tokens, cfg, channel, m, max_bytes);
    };
#ifdef DAIBAN_TEST_HOOKS
    // Test builds only (CMake DAIBAN_TEST_HOOKS): this exact text makes the handler take
    // DAIBAN_TEST_SLOW_MS (1500) longer, so e2e tests can watch a reply miss WeChat's budget.
    if (const char* slow = std::getenv("DAIBAN_TEST_SLOW_TEXT"); slow && *slow && t.text == slow) {
        const char* ms = std::getenv("DAIBAN_TEST_SLOW_MS");
        asio::steady_timer wait(sh.ioc, std::chrono::milliseconds(ms ? std::atoi(ms) : 1500));
        co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
    }
#endif
    const bool handled = co_await run_handler(ctx, timer_turn);
    if (!handled && timer_turn) {
        co_await store.abandon(t.tenant, t.chat.id, t.id);
        co_return boost::system::errc::make_error_code(boost::system::errc::io_error);
    }
    if (!timer_turn) conv.last_seen = now; // a timer is not the person writing
    outcome.intent = std::string(understood.name());
    outcome.replies = std::move(ctx.replies);
    // A resident who writes Traditional Chinese reads the replies meant for them in Traditional
    // (groups and agents keep the table's Simplified).
    if (conv.locale == "zh-Hant")
        for (auto& r : outcome.replies)
            if (r.chat == t.chat ||
                (r.chat.kind == model::chat_kind::private_chat && r.chat.id == t.from_id))
                r.text = nlu::to_traditional(r.text);

    // A resend (its sender never saw the answer: a lost response, a replica killed after the
    // record) is answered with the first run's replies, and the pushes among them are queued
    // again (deduplicated): so they are kept, on every channel.
    const std::string stored = replies::encode_replies(outcome.replies);
    // (The conversation's last_seen is also when WeChat's 48 h window opened: state/contact_store.)
    auto finished = co_await store.finish(t.tenant, t.chat.id, t.id, conv_key, loaded, conv, stored,
                                          claim.ticket.ticket);
    if (!finished) {
        co_await store.abandon(t.tenant, t.chat.id, t.id);
        co_return finished.error();
    }
    ticket_passed = true;
    co_return outcome;
}

} // namespace daiban::bot::dialogue
