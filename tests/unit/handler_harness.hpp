// Unit test support: the bot's turn loop without a server or Redis — the demo tenant's data, the
// NLU, the holiday calendar, in-memory stores (handlers/memory_stores.hpp) and a movable clock.
// turn() does what bot/dialogue/turn_dispatcher.cpp does around handlers::run: takes the bot's
// open question out of the conversation and hands it to the turn as `asked` (a timer turn leaves
// it), has the turn read (bot/dialogue/understand: menu phrases, then the NLU), builds the context
// the same way, runs the handler and keeps the conversation for the next turn. Unlike the server,
// a handler's exception is not turned into the "handler_failed" reply: the test fails with it —
// unless the test sets serve_failures, and then the server's own code does it
// (bot::dialogue::run_handler). use_stores() puts other stores in (e.g. ones told to fail).
#pragma once

#include "bot/config.hpp"
#include "bot/dialogue/turn_dispatcher.hpp"
#include "bot/dialogue/understand.hpp"
#include "bot/nlu/nlu.hpp"
#include "bot/nlu/normalize.hpp"
#include "bot/replies/routing.hpp"
#include "bot/timers/timer_worker.hpp"
#include "handlers/calendar.hpp"
#include "handlers/memory_stores.hpp"
#include "handlers/run.hpp"
#include "handlers/texts.hpp"
#include "model/tenant_data.hpp"
#include "run_coroutine.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace daiban::test {

class handler_harness {
public:
    // 2026-11-23 10:00 in mainland time: a Monday, so deadlines count whole working weeks.
    static constexpr std::int64_t monday_10am_ms = 1795399200LL * 1000;

    handler_harness() {
        std::vector<model::data_problem> problems;
        data_ = model::load_tenant_data(DAIBAN_SOURCE_DIR "/deploy/tenants/demo", problems);
        REQUIRE(problems.empty());
        REQUIRE(data_);
        calendar_ = handlers::work_calendar::load(DAIBAN_SOURCE_DIR "/deploy/holidays", problems);
        REQUIRE(problems.empty());
        REQUIRE(calendar_);
        nlu_ = std::make_unique<bot::nlu::engine>(data_);
        // The demo tenant's channels as deploy/daiban.json configures them (a hook bridge and an
        // official account), read the way the dispatcher reads them.
        bot::tenant_config cfg;
        cfg.id = tenant;
        cfg.hook.emplace();
        cfg.wechat.emplace();
        group_channel_ = bot::replies::group_channel(cfg);
        staff_channels_ = bot::replies::staff_channels(cfg);
    }
    handler_harness(const handler_harness&) = delete;
    handler_harness& operator=(const handler_harness&) = delete;

    const std::string tenant = "demo";
    std::int64_t now_ms = monday_10am_ms; // the clock: tests move it
    handlers::memory_stores stores;
    // config console.public_url as the server would pass it (empty: no console).
    std::string console_url = "https://daiban.example.gov.cn";
    // A handler's exception becomes what the server makes of it (see the top of this file).
    bool serve_failures = false;
    // Whether the last turn's handler finished (false: it threw and serve_failures caught it).
    bool handled = true;

    // The stores the next turns use instead of `stores` (which stay what tests look at).
    void use_stores(handlers::stores view) { view_.emplace(view); }

    const model::tenant_data& data() const { return *data_; }
    // The conversation as the server would have saved it after the last turn.
    model::conversation& conversation(const std::string& key) { return conversations_[key]; }

    // One turn; returns the bot's replies.
    std::vector<model::reply> turn(model::turn t) {
        t.tenant = tenant;
        if (t.id.empty()) t.id = "m" + std::to_string(++messages_);
        const std::int64_t now = now_ms / 1000;
        if (t.time == 0) t.time = now;
        auto& conv = conversations_[t.conversation_key()];
        const bool timer_turn = t.channel == "timer";
        std::optional<model::pending_question> pending;
        if (!timer_turn) {
            pending = std::move(conv.pending);
            conv.pending.reset();
        }
        const model::intent understood =
            bot::dialogue::understand(t, *nlu_, pending ? &*pending : nullptr, now);
        if (!understood.normalized.empty())
            conv.locale = understood.traditional ? "zh-Hant" : "zh-Hans";
        handlers::context ctx{t,
                              understood,
                              conv,
                              data_.get(),
                              handlers::texts::zh_hans(),
                              view_ ? *view_ : stores.view,
                              now,
                              {}};
        ctx.calendar = calendar_.get();
        ctx.asked = pending ? &*pending : nullptr;
        ctx.now_ms = now_ms;
        ctx.group_channel = group_channel_;
        ctx.staff_channels = staff_channels_;
        ctx.console_url = console_url;
        if (serve_failures)
            handled = run_coroutine(bot::dialogue::run_handler(ctx, timer_turn));
        else
            run_coroutine(handlers::run(ctx));
        if (!timer_turn) conv.last_seen = now;
        ++conv.turns;
        last_intent = understood.id;
        auto replies = std::move(ctx.replies);
        if (conv.locale == "zh-Hant")
            for (auto& r : replies)
                if (r.chat == t.chat ||
                    (r.chat.kind == model::chat_kind::private_chat && r.chat.id == t.from_id))
                    r.text = bot::nlu::to_traditional(r.text);
        return replies;
    }

    // Someone writing on the hook channel: their platform id (org.json `ids.hook` for agents)
    // and display name.
    struct person {
        std::string id;
        std::string name;
    };

    // A private message.
    std::vector<model::reply> say(const person& from, const std::string& text) {
        return turn(text_turn({model::chat_kind::private_chat, from.id}, from, text, false));
    }
    // A message in a group; `mentioned`: the bot was @-mentioned.
    std::vector<model::reply> say_in_group(const std::string& group,
                                           const person& from,
                                           const std::string& text,
                                           bool mentioned = false) {
        return turn(text_turn({model::chat_kind::group, group}, from, text, mentioned));
    }
    // A voice message in a chat, as WeChat delivers it: the platform's recognition of the words
    // ("" when it made none out) and a media id.
    std::vector<model::reply>
    say_by_voice(model::chat_ref chat, const person& from, const std::string& recognition) {
        auto t = text_turn(std::move(chat), from, recognition, false);
        t.kind = model::turn_kind::voice;
        t.media = model::media_ref{{}, {}, "audio/amr", {}, "media_voice"};
        return turn(std::move(t));
    }

    // A photo sent privately, its bytes inline (as the hook bridge sends them).
    std::vector<model::reply> send_photo(const person& from, std::string bytes) {
        model::turn t;
        t.channel = "hook";
        t.chat = {model::chat_kind::private_chat, from.id};
        t.from_id = from.id;
        t.from_name = from.name;
        t.kind = model::turn_kind::image;
        model::media_ref m;
        m.data = std::move(bytes);
        m.mime = "image/jpeg";
        t.media = std::move(m);
        return turn(std::move(t));
    }

    // A location message sent privately (WeChat's "位置").
    std::vector<model::reply>
    send_location(const person& from, double lat, double lng, std::string label) {
        model::turn t;
        t.channel = "hook";
        t.chat = {model::chat_kind::private_chat, from.id};
        t.from_id = from.id;
        t.from_name = from.name;
        t.kind = model::turn_kind::location;
        t.location = model::location_ref{lat, lng, std::move(label)};
        return turn(std::move(t));
    }

    // Fires every timer due at now_ms, as bot/timers/timer_worker does (a timer turn, built by
    // its timer_turn), and settles it; all their replies.
    std::vector<model::reply> fire_due_timers() {
        const auto due = run_coroutine(stores.timers.claim(tenant, now_ms, 100));
        std::vector<model::reply> all;
        for (const auto& tm : due) {
            auto r = turn(bot::timers::timer_turn(tenant, tm));
            all.insert(all.end(), r.begin(), r.end());
            // False for a timer that re-armed itself in its turn (the deadline patrol): the new
            // arming stands, as in the worker.
            run_coroutine(stores.timers.settle(tenant, tm, true, now_ms));
        }
        return all;
    }

    model::intent_id last_intent = model::intent_id::unknown;

private:
    static model::turn
    text_turn(model::chat_ref chat, const person& from, const std::string& text, bool mentioned) {
        model::turn t;
        t.channel = "hook";
        t.chat = std::move(chat);
        t.from_id = from.id;
        t.from_name = from.name;
        t.mentions_bot = mentioned;
        t.kind = model::turn_kind::text;
        t.text = text;
        return t;
    }

    std::shared_ptr<const model::tenant_data> data_;
    std::shared_ptr<const handlers::work_calendar> calendar_;
    std::unique_ptr<bot::nlu::engine> nlu_;
    std::string group_channel_;
    std::vector<std::string> staff_channels_;
    std::map<std::string, model::conversation> conversations_;
    int messages_ = 0;
    std::optional<handlers::stores> view_;
};

} // namespace daiban::test
