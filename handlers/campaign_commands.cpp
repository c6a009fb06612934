// handlers layer: agents' campaign commands (收缴 / 通知, "一户不漏"), typed in their group:
//   发起收缴 土地保险 截止12月20日 每亩5.73元   (发起通知 冬季防火 截止12月20日: confirm only)
//     a village agent speaks for their village, a township supervisor for their township; the
//     roster is every household org.json lists there plus the residents the bot knows there who
//     head no listed household; each with an account is notified in their own chat, the rest are
//     named for a visit or a call (phones go to their contact cadre privately, never the group);
//   进度 N      who has answered and who not, by contact cadre, with names;
//   催交 N      the silent households with an account are reminded once more;
//   已交 N 姓名  an agent records a household that paid in cash or told them in person.
// The deadline comes from the NLU's date reading (ctx.understood.date); the rest of the words are
// the title and the amount. Nothing starts without a title and a future deadline.
#include "handlers/campaigns.hpp"
#include "handlers/case_support.hpp"
#include "handlers/registry.hpp"

#include <algorithm>
#include <charconv>
#include <map>

namespace daiban::handlers {

namespace asio = boost::asio;
using namespace campaigns;

namespace {

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}
bool has_digit(std::string_view text) {
    return std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What 发起收缴 / 发起通知 says: the kind, the title, the amount and the deadline.
struct terms {
    state::campaign_kind kind = state::campaign_kind::collect;
    std::string title;
    std::string amount_text;
    civil_date deadline;
};

std::optional<terms> read_terms(const context& ctx) {
    if (!ctx.understood.date) return std::nullopt;
    const auto day = civil_date::parse_iso(*ctx.understood.date);
    if (!day) return std::nullopt;
    terms t;
    t.deadline = *day;
    t.kind = contains(ctx.in.text, "发起通知") ? state::campaign_kind::notice
                                               : state::campaign_kind::collect;
    for (const auto& w : ctx.understood.args) {
        // "截止12月20日", "12月20号前": the deadline, already read as a date.
        if (contains(w, "截止") || contains(w, "截至") ||
            (has_digit(w) && (contains(w, "月") || contains(w, "号") || contains(w, "日"))))
            continue;
        // "每亩5.73元", "57.3元": what to pay.
        if (contains(w, "元") || w.starts_with("每") || has_digit(w)) {
            t.amount_text += (t.amount_text.empty() ? "" : " ") + w;
            continue;
        }
        t.title += (t.title.empty() ? "" : " ") + w;
    }
    if (t.title.empty()) return std::nullopt;
    return t;
}

// Where the agent's campaign runs: a township supervisor's township, else the village they serve
// (the one whose group this is, when they serve several).
struct scope {
    std::string kind; // village | township
    std::string id;
    std::string name;
    std::string group;
    std::vector<const village*> villages;
};

std::optional<scope> scope_of(const context& ctx, const agent& me) {
    const auto& o = ctx.data->org_;
    for (const auto& t : o.townships) {
        if (t.supervisor != me.id) continue;
        scope s{"township", t.id, t.name, t.group, {}};
        for (const auto& v : o.villages)
            if (v.township == t.id) s.villages.push_back(&v);
        return s;
    }
    const village* home = nullptr;
    for (const auto& v : o.villages) {
        if (std::find(v.agents.begin(), v.agents.end(), me.id) == v.agents.end()) continue;
        if (v.group == ctx.in.chat.id) {
            home = &v;
            break;
        }
        if (!home) home = &v;
    }
    if (!home) return std::nullopt;
    return scope{"village", home->id, home->name, home->group, {home}};
}

// Where a household head is reached: the first of the tenant's push channels they have an id on.
void reach(const context& ctx,
           const std::map<std::string, std::string>& ids,
           state::campaign_member& m) {
    for (const auto& channel : ctx.staff_channels)
        if (auto it = ids.find(channel); it != ids.end()) {
            m.channel = channel;
            m.chat = it->second;
            return;
        }
}

// The roster: every listed household of the scope, then the residents the bot knows there who
// are neither a listed household's head nor an agent.
asio::awaitable<std::vector<state::campaign_member>> draw_roster(context& ctx, const scope& s) {
    const auto& o = ctx.data->org_;
    std::vector<state::campaign_member> roster;
    for (const auto* v : s.villages) {
        for (const auto& h : o.households) {
            if (h.village != v->id) continue;
            state::campaign_member m;
            m.key = h.id;
            m.name = h.head;
            m.village = v->id;
            if (const auto* a = o.contact_agent(*v, &h)) m.contact = a->id;
            m.phone = h.phone;
            reach(ctx, h.ids, m);
            roster.push_back(std::move(m));
        }
        const auto known = co_await ctx.stores.residents.in_village(ctx.in.tenant, v->id);
        for (const auto& rid : known) {
            if (cases::household_of(*ctx.data, rid)) continue;
            const auto colon = rid.find(':');
            if (colon != std::string::npos &&
                o.agent_by_platform_id(rid.substr(0, colon), rid.substr(colon + 1)))
                continue;
            const auto profile = co_await ctx.stores.residents.get(ctx.in.tenant, rid);
            state::campaign_member m;
            m.key = "r:" + rid;
            m.name =
                profile.name.empty() ? ctx.text.get("campaign_unnamed_resident") : profile.name;
            m.village = v->id;
            if (const auto* a = o.contact_agent(*v, nullptr)) m.contact = a->id;
            m.channel = profile.channel;
            m.chat = profile.chat;
            roster.push_back(std::move(m));
        }
    }
    co_return roster;
}

// Unix milliseconds of `hour`:00 mainland time on `day`.
std::int64_t local_ms(civil_date day, int hour) {
    return (day.to_days() * 86400 + (hour - 8) * 3600) * 1000;
}

// The reminder the working day before (09:00) and the final list at the deadline (18:00).
asio::awaitable<void> arm_deadlines(context& ctx, const state::campaign_record& c) {
    const auto deadline = *civil_date::parse_iso(c.deadline);
    const auto n = std::to_string(c.number);
    const auto remind_day = cases::calendar_of(ctx).add_working_days(deadline, -1);
    state::timer t;
    t.target = "sys:campaigns";
    t.channel = ctx.group_channel;
    t.payload = n;
    if (const auto at = local_ms(remind_day, 9); at > ctx.now_ms) {
        t.id = "campaign:" + n + ":remind";
        t.due_ms = at;
        t.kind = "campaign_remind";
        co_await ctx.stores.timers.schedule(ctx.in.tenant, t);
    }
    t.id = "campaign:" + n + ":final";
    t.due_ms = std::max(local_ms(deadline, 18), ctx.now_ms);
    t.kind = "campaign_final";
    co_await ctx.stores.timers.schedule(ctx.in.tenant, t);
}

// The open campaign of this scope with this kind and title, if one is running.
asio::awaitable<std::optional<state::campaign_record>>
running_campaign(context& ctx, const scope& s, const terms& t) {
    const auto open = co_await ctx.stores.campaigns.open_campaigns(ctx.in.tenant);
    std::optional<state::campaign_record> found;
    for (const auto number : open) {
        auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, number);
        if (c && c->scope_id == s.id && c->title == t.title && c->kind == t.kind) {
            found = std::move(c);
            break;
        }
    }
    co_return found;
}

asio::awaitable<void> start(context& ctx, const agent& me) {
    const auto t = read_terms(ctx);
    if (!t) {
        ctx.say(ctx.text.get("campaign_usage"));
        co_return;
    }
    const auto deadline_text = cases::month_day(t->deadline.iso());
    if (t->deadline < cases::today(ctx)) {
        ctx.say(ctx.text.format("campaign_past_deadline", {{"deadline", deadline_text}}));
        co_return;
    }
    const auto s = scope_of(ctx, me);
    if (!s) {
        ctx.say(ctx.text.get("campaign_no_scope"));
        co_return;
    }
    // The same collection typed again (a second 发起收缴 for what is still running) starts nothing:
    // households would get every notice twice.
    const auto running = co_await running_campaign(ctx, *s, *t);
    if (running) {
        ctx.say(ctx.text.format("campaign_already_open",
                                {{"label", label(ctx, *running)},
                                 {"deadline", cases::month_day(running->deadline)},
                                 {"number", std::to_string(running->number)}}));
        co_return;
    }
    auto roster = co_await draw_roster(ctx, *s);
    if (roster.empty()) {
        ctx.say(ctx.text.format("campaign_empty_roster", {{"scope", s->name}}));
        co_return;
    }
    state::open_campaign_request req;
    req.tenant = ctx.in.tenant;
    req.source_chat = ctx.in.chat.id;
    req.source_message = ctx.in.id;
    req.kind = t->kind;
    req.title = t->title;
    req.amount_text = t->kind == state::campaign_kind::collect ? t->amount_text : std::string();
    req.deadline = t->deadline.iso();
    req.deadline_days = t->deadline.to_days();
    req.scope = s->kind;
    req.scope_id = s->id;
    req.started_by = me.id;
    req.group = s->group.empty() ? ctx.in.chat.id : s->group;
    req.now = ctx.now;
    req.roster = std::move(roster);
    const auto opened = co_await ctx.stores.campaigns.open(req);
    const auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, opened.number);
    if (!c) co_return;
    const auto n = std::to_string(c->number);
    std::vector<const state::campaign_member*> everyone, offline;
    for (const auto& m : c->roster) {
        everyone.push_back(&m);
        if (!m.reachable()) offline.push_back(&m);
    }
    // A retried message (the first run died after starting it) arms what it may not have: the
    // timers' ids are fixed, so arming twice is arming once; those who answered stay unasked.
    // (A named local: GCC 12 frees a temporary co_await argument twice.)
    const auto to_ask = opened.created ? everyone : silent(*c);
    co_await send_notices(ctx, *c, to_ask, false);
    co_await arm_deadlines(ctx, *c);
    const std::string offline_line =
        offline.empty()
            ? std::string()
            : ctx.text.format("campaign_offline_line", {{"count", std::to_string(offline.size())},
                                                        {"names", names(ctx, offline)}});
    ctx.say(ctx.text.format("campaign_started",
                            {{"label", label(ctx, *c)},
                             {"scope", s->name},
                             {"total", std::to_string(c->roster.size())},
                             {"deadline", deadline_text},
                             {"amount", amount_note(*c)},
                             {"reached", std::to_string(everyone.size() - offline.size())},
                             {"offline", offline_line},
                             {"number", n}}));
    tell_cadres_offline(ctx, *c, offline, "campaign_offline_private");
}

// May this agent see and work a campaign's list (names, amounts)? Who started it, the agents of
// its villages, their township's supervisor, and the county.
bool may_manage(const context& ctx, const agent& me, const state::campaign_record& c) {
    if (me.role == "county" || me.id == c.started_by) return true;
    const auto& o = ctx.data->org_;
    for (const auto& v : o.villages) {
        const bool inside = c.scope == "village" ? v.id == c.scope_id : v.township == c.scope_id;
        if (!inside) continue;
        if (std::find(v.agents.begin(), v.agents.end(), me.id) != v.agents.end()) return true;
        if (const auto* t = o.find_township(v.township); t && t->supervisor == me.id) return true;
    }
    return false;
}

// The campaign a command names; says so when there is none.
asio::awaitable<std::optional<state::campaign_record>> named_campaign(context& ctx) {
    std::int64_t number = 0;
    const std::string ref = ctx.understood.case_ref.value_or("");
    std::from_chars(ref.data(), ref.data() + ref.size(), number);
    auto c = co_await ctx.stores.campaigns.get(ctx.in.tenant, number);
    if (!c) ctx.say(ctx.text.format("campaign_not_found", {{"number", ref}}));
    co_return c;
}

// "王德福（57.3元）", "张国强（凭证）": a done household and what it answered with.
std::string
done_name(const context& ctx, const state::campaign_record& c, const state::campaign_member& m) {
    const auto& a = c.answers.at(m.key);
    if (!a.amount.empty()) return m.name + "（" + a.amount + "元）";
    if (!a.photo.empty()) return m.name + ctx.text.get("campaign_with_receipt");
    return m.name;
}

void progress(context& ctx, const state::campaign_record& c) {
    // By contact cadre, in the order cadres first appear on the roster.
    std::vector<std::string> cadres;
    std::map<std::string, std::pair<std::string, std::string>> lines; // cadre -> (done, missing)
    int done = 0;
    for (const auto& m : c.roster) {
        if (std::find(cadres.begin(), cadres.end(), m.contact) == cadres.end())
            cadres.push_back(m.contact);
        auto& [yes, no] = lines[m.contact];
        if (c.answered(m.key)) {
            ++done;
            yes += (yes.empty() ? "" : "、") + done_name(ctx, c, m);
        } else {
            no += (no.empty() ? "" : "、") + m.name +
                  (m.reachable() ? std::string() : ctx.text.get("campaign_no_account"));
        }
    }
    std::string body;
    for (const auto& cadre : cadres) {
        const auto& [yes, no] = lines[cadre];
        body += (body.empty() ? "" : "\n") +
                ctx.text.format("campaign_progress_cadre",
                                {{"cadre", cases::agent_name(ctx.data, cadre)},
                                 {"done", yes.empty() ? ctx.text.get("campaign_none") : yes},
                                 {"missing", no.empty() ? ctx.text.get("campaign_none") : no}});
    }
    ctx.say(ctx.text.format(
        "campaign_progress",
        {{"label", label(ctx, c)},
         {"done", std::to_string(done)},
         {"total", std::to_string(c.roster.size())},
         {"deadline", cases::month_day(c.deadline)},
         {"state", c.open ? std::string() : ctx.text.get("campaign_progress_closed")},
         {"lines", body}}));
}

asio::awaitable<void> chase(context& ctx, const state::campaign_record& c) {
    const auto missing = silent(c);
    std::vector<const state::campaign_member*> online, offline;
    for (const auto* m : missing)
        (m->reachable() ? online : offline).push_back(m);
    co_await send_notices(ctx, c, online, true);
    const std::string offline_line =
        offline.empty()
            ? std::string()
            : ctx.text.format("campaign_offline_line", {{"count", std::to_string(offline.size())},
                                                        {"names", names(ctx, offline)}});
    ctx.say(ctx.text.format(online.empty() ? "campaign_chase_none" : "campaign_chased",
                            {{"label", label(ctx, c)},
                             {"count", std::to_string(online.size())},
                             {"offline", offline_line}}));
}

// 已交 N 姓名: a household that paid in cash or said so in person.
asio::awaitable<void> mark_paid(context& ctx, const agent& me, const state::campaign_record& c) {
    const auto n = std::to_string(c.number);
    std::string name;
    for (const auto& w : ctx.understood.args)
        name += w;
    if (name.empty()) {
        ctx.say(ctx.text.format("campaign_mark_usage", {{"number", n}}));
        co_return;
    }
    const state::campaign_member* who = nullptr;
    for (const auto& m : c.roster)
        if (m.name == name) who = &m;
    if (!who) {
        ctx.say(ctx.text.format("campaign_mark_unknown",
                                {{"label", label(ctx, c)}, {"name", name}, {"number", n}}));
        co_return;
    }
    const state::campaign_answer a{ctx.now, me.id, "", ""};
    co_await ctx.stores.campaigns.answer(ctx.in.tenant, c.number, who->key, a);
    const auto now = co_await ctx.stores.campaigns.get(ctx.in.tenant, c.number);
    const auto done = now ? now->answers.size() : c.answers.size() + 1;
    ctx.say(ctx.text.format("campaign_marked", {{"name", who->name},
                                                {"title", c.title},
                                                {"agent", me.name},
                                                {"label", label(ctx, c)},
                                                {"done", std::to_string(done)},
                                                {"total", std::to_string(c.roster.size())}}));
}

} // namespace

asio::awaitable<void> handle_campaign_command(context& ctx) {
    const agent* me = ctx.sender_agent();
    const auto what = ctx.understood.id;
    // "紧急通知 明天停水" posted to the group is an announcement to villagers, which the NLU
    // recognises as a notice; only the typed 发起收缴 / 发起通知 (or one addressed to the bot) is
    // for the bot.
    if (what == intent_id::agent_notice && ctx.understood.args.empty()) {
        if (ctx.in.chat.kind == chat_kind::group && !ctx.in.mentions_bot) co_return;
        // A resident's "通知…" is no command of theirs: read it as anything else unclear.
        if (!me) {
            co_await handle_fallback(ctx);
            co_return;
        }
    }
    if (!me) {
        // A resident's "进度 12" asks about their own case; anything else here is staff-only.
        if (what == intent_id::agent_progress) {
            co_await handle_query_progress(ctx);
            co_return;
        }
        ctx.say(ctx.text.get("agent_only"));
        co_return;
    }
    if (!ctx.data) co_return;
    if (what == intent_id::agent_notice) {
        co_await start(ctx, *me);
        co_return;
    }
    const auto c = co_await named_campaign(ctx);
    if (!c) co_return;
    if (!may_manage(ctx, *me, *c)) {
        ctx.say(ctx.text.format("campaign_not_yours", {{"label", label(ctx, *c)}}));
        co_return;
    }
    if (what == intent_id::agent_progress)
        progress(ctx, *c);
    else if (what == intent_id::agent_chase)
        co_await chase(ctx, *c);
    else if (what == intent_id::agent_mark_paid)
        co_await mark_paid(ctx, *me, *c);
}

} // namespace daiban::handlers
