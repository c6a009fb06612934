// handlers layer: agent commands (代理员口令), typed in a village group or in private, or
// recognised by the NLU (agent_* intents): 待办, 接单 N, 查看 N, 通过 N [材料], 补正 N 材料 原因,
// 办结 N 备注, 转办 N 镇|县 原因 (统计 is handlers/stats.cpp). Only agents listed in org.json may
// use them; a resident gets a polite refusal. Personal details (names, history) go to the agent's
// private chat.
#include "handlers/case_support.hpp"
#include "handlers/deadlines.hpp"
#include "handlers/registry.hpp"
#include "model/agent_command.hpp"
#include "state/resident_store.hpp"

#include <cstdio>

namespace daiban::handlers {

namespace {

using state::case_status;

// What the agent asked for, as the NLU read it (model/agent_command.hpp parses typed commands).
struct command {
    intent_id what;
    std::string ref;               // case number or code
    std::vector<std::string> args; // words after the number
    std::string rest_as_typed;     // the same, as typed (punctuation kept)
};

std::string joined(const std::vector<std::string>& v, std::size_t from) {
    std::string out;
    for (std::size_t i = from; i < v.size(); ++i)
        out += (out.empty() ? "" : " ") + v[i];
    return out;
}

// The words after the first (补正 12 发票 <reason>, 转办 12 镇 <reason>) as typed, punctuation
// kept, when `typed` starts with that first word; else the words joined by spaces.
std::string after_first(const std::vector<std::string>& args, const std::string& typed) {
    if (args.empty()) return {};
    if (typed.starts_with(args.front())) {
        std::string_view rest = std::string_view(typed).substr(args.front().size());
        while (!rest.empty() && rest.front() == ' ')
            rest.remove_prefix(1);
        if (!rest.empty()) return std::string(rest);
    }
    return joined(args, 1);
}

// May this agent act on this case? Its owner, an agent of its village, the township's
// supervisor, or the county.
bool may_act(const tenant_data& d, const agent& a, const state::case_record& c) {
    if (a.role == "county" || a.id == c.owner || a.id == c.claimed_by) return true;
    const auto* v = d.org_.find_village(c.village);
    if (!v) return false;
    for (const auto& id : v->agents)
        if (id == a.id) return true;
    const auto* t = d.org_.find_township(v->township);
    return t && t->supervisor == a.id;
}

std::string clock_text(std::int64_t unix_s) {
    const std::int64_t local = unix_s + 8 * 3600;
    const auto d = civil_date::from_days(local / 86400);
    const auto secs = local % 86400;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02d-%02d %02d:%02d", d.month, d.day,
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60));
    return buf;
}

// People by name: an agent by theirs, the resident by the name the case keeps.
std::string who_text(const context& ctx, const state::case_record& c, const std::string& who) {
    if (who == "bot") return "系统";
    if (const auto* a = ctx.data->org_.find_agent(who)) return a->name;
    if (who == c.resident && !c.resident_name.empty()) return "居民" + c.resident_name;
    return "居民";
}

// One history line in words: "11-22 09:05 蒋秀英 补正：医疗费用发票 看不清".
std::string
event_text(const context& ctx, const state::case_record& c, const state::case_event& e) {
    const auto [what, why] = cases::history_words(ctx.text, c, e);
    return clock_text(e.at) + " " + who_text(ctx, c, e.who) + " " + what +
           (why.empty() ? "" : " " + why);
}

class runner {
public:
    runner(context& ctx, const agent& a) : ctx_(ctx), me_(a), store_(ctx.stores.cases) {}

    boost::asio::awaitable<void> run(const command& c) {
        switch (c.what) {
        case intent_id::agent_list:
            co_await list();
            co_return;
        default:
            break;
        }
        auto rec = co_await load(c.ref);
        if (!rec) co_return;
        switch (c.what) {
        case intent_id::agent_claim:
            co_await claim(*rec);
            break;
        case intent_id::agent_view:
            co_await view(*rec);
            break;
        case intent_id::agent_approve:
            co_await approve(*rec, c.args);
            break;
        case intent_id::agent_return:
            co_await give_back(*rec, c.args, c.rest_as_typed);
            break;
        case intent_id::agent_done:
            co_await done(*rec, c.args, c.rest_as_typed);
            break;
        case intent_id::agent_transfer:
            co_await transfer(*rec, c.args, c.rest_as_typed);
            break;
        default:
            break;
        }
    }

private:
    std::string n(const state::case_record& c) const { return std::to_string(c.number); }

    boost::asio::awaitable<std::optional<state::case_record>> load(const std::string& ref) {
        const auto num = co_await store_.resolve(ctx_.in.tenant, ref);
        std::optional<state::case_record> out;
        if (num) out = co_await store_.get(ctx_.in.tenant, *num);
        if (!out) {
            ctx_.say(ctx_.text.format("case_not_found", {{"number", ref}}));
            co_return out;
        }
        if (!may_act(*ctx_.data, me_, *out)) {
            ctx_.say(ctx_.text.format("case_not_yours", {{"number", ref}}));
            out.reset();
        }
        co_return out;
    }

    bool closed(const state::case_record& c) {
        if (state::is_open(c.status)) return false;
        ctx_.say(ctx_.text.format(
            "agent_case_closed",
            {{"number", n(c)}, {"status", cases::status_text(ctx_.text, c.status)}}));
        return true;
    }

    // On the resident's own channel (the case keeps it): the agent writes from a group on the
    // hook bridge or WeCom, the resident may be on the official account.
    void tell_resident(const state::case_record& c, std::string body) {
        ctx_.tell({chat_kind::private_chat, c.chat}, std::move(body), {}, c.channel);
    }

    boost::asio::awaitable<void> list() {
        const auto dues = co_await store_.open_by_owner(ctx_.in.tenant, me_.id);
        if (dues.empty()) {
            ctx_.say(ctx_.text.format("agent_list_empty", {{"name", me_.name}}));
            co_return;
        }
        const auto today = cases::today(ctx_).to_days();
        std::string lines;
        for (const auto& d : dues) {
            const auto c = co_await store_.get(ctx_.in.tenant, d.number);
            if (!c) continue;
            const auto& r = *c;
            lines += (lines.empty() ? "" : "\n") +
                     ctx_.text.format("agent_list_line",
                                      {{"number", n(r)},
                                       {"item", r.service_name},
                                       {"village", cases::village_name(ctx_.data, r.village)},
                                       {"status", cases::status_text(ctx_.text, r.status)},
                                       {"due", cases::month_day(r.due)},
                                       {"overdue", r.due_days < today && r.paused_on == 0
                                                       ? ctx_.text.get("agent_overdue")
                                                       : ""}});
        }
        ctx_.say(ctx_.text.format("agent_list", {{"name", me_.name}, {"lines", lines}}));
    }

    boost::asio::awaitable<void> claim(const state::case_record& c) {
        const auto r = co_await store_.claim(ctx_.in.tenant, c.number, me_.id, ctx_.now);
        switch (r.outcome) {
        case state::claim_result::claimed:
            ctx_.say(
                ctx_.text.format("agent_claimed", {{"number", n(c)}, {"item", c.service_name}}));
            tell_resident(c, ctx_.text.format("agent_claimed_resident", {{"number", n(c)},
                                                                         {"item", c.service_name},
                                                                         {"owner", me_.name}}));
            break;
        case state::claim_result::already_yours:
            ctx_.say(ctx_.text.format("agent_claim_yours", {{"number", n(c)}}));
            break;
        case state::claim_result::taken:
            ctx_.say(ctx_.text.format(
                "agent_claim_taken",
                {{"number", n(c)}, {"owner", cases::agent_name(ctx_.data, r.other)}}));
            break;
        case state::claim_result::closed:
            ctx_.say(ctx_.text.format(
                "agent_case_closed",
                {{"number", n(c)}, {"status", cases::status_text(ctx_.text, r.status)}}));
            break;
        case state::claim_result::not_found:
            ctx_.say(ctx_.text.format("case_not_found", {{"number", n(c)}}));
            break;
        }
    }

    boost::asio::awaitable<void> view(const state::case_record& c) {
        const auto hist = co_await store_.history(ctx_.in.tenant, c.number);
        std::string materials;
        for (const auto& m : c.materials) {
            materials += (materials.empty() ? "" : "\n") + std::string("· ") + m.name + "：" +
                         ctx_.text.get("material_state_" + m.state);
            if (!m.files.empty()) materials += "（" + std::to_string(m.files.size()) + " 份）";
            if (!m.reason.empty()) materials += " " + m.reason;
        }
        std::string history;
        const std::size_t from = hist.size() > 10 ? hist.size() - 10 : 0;
        for (std::size_t i = from; i < hist.size(); ++i)
            history += (history.empty() ? "" : "\n") + event_text(ctx_, c, hist[i]);
        // The resident's name and the history are personal: private chat only.
        ctx_.say_privately(
            ctx_.text.format("agent_view", {{"number", n(c)},
                                            {"code", c.code},
                                            {"item", c.service_name},
                                            {"version", c.catalog_version},
                                            {"village", cases::village_name(ctx_.data, c.village)},
                                            {"resident", c.resident_name},
                                            {"status", cases::status_text(ctx_.text, c.status)},
                                            {"owner", cases::agent_name(ctx_.data, c.owner)},
                                            {"due", cases::month_day(c.due)},
                                            {"materials", materials},
                                            {"history", history}}));
    }

    boost::asio::awaitable<void> approve(const state::case_record& c,
                                         const std::vector<std::string>& args) {
        if (closed(c)) co_return;
        std::string material;
        if (!args.empty()) {
            const auto* m = cases::material_named(ctx_.data, c, joined(args, 0));
            if (!m) {
                ctx_.say(unknown_material(c, joined(args, 0)));
                co_return;
            }
            material = m->id;
        }
        const auto r = co_await store_.review(ctx_.in.tenant, c.number, material, true, "", me_.id,
                                              ctx_.now, cases::today(ctx_).to_days());
        if (r.outcome == state::change_outcome::nothing_to_do) {
            ctx_.say(ctx_.text.format("agent_review_nothing", {{"number", n(c)}}));
            co_return;
        }
        if (r.outcome != state::change_outcome::done) {
            ctx_.say(ctx_.text.format("case_not_found", {{"number", n(c)}}));
            co_return;
        }
        const auto* m = c.material(material);
        ctx_.say(ctx_.text.format(
            "agent_reviewed",
            {{"number", n(c)},
             {"what", m ? m->name : std::string("已收材料")},
             {"accepted", std::to_string(r.accepted)},
             {"total", std::to_string(r.total)},
             {"next", r.status == case_status::in_progress ? ctx_.text.get("agent_reviewed_all_in")
                                                           : ""}}));
    }

    std::string unknown_material(const state::case_record& c, const std::string& said) {
        std::string list;
        for (const auto& m : c.materials)
            list += (list.empty() ? "" : "、") + m.name;
        return ctx_.text.format("agent_unknown_material",
                                {{"number", n(c)}, {"material", said}, {"list", list}});
    }

    // `typed`: the words after the case number as typed; the reason keeps its punctuation
    // ("照片看不清，请重拍" reaches the resident as written).
    boost::asio::awaitable<void> give_back(const state::case_record& c,
                                           const std::vector<std::string>& args,
                                           const std::string& typed) {
        if (closed(c)) co_return;
        if (args.empty()) {
            ctx_.say(ctx_.text.get("agent_return_usage"));
            co_return;
        }
        const auto* m = cases::material_named(ctx_.data, c, args.front());
        if (!m) {
            ctx_.say(unknown_material(c, args.front()));
            co_return;
        }
        std::string reason = after_first(args, typed);
        if (reason.empty()) reason = "请重新拍清楚";
        co_await store_.review(ctx_.in.tenant, c.number, m->id, false, reason, me_.id, ctx_.now,
                               cases::today(ctx_).to_days());
        ctx_.say(ctx_.text.format("agent_returned", {{"number", n(c)}, {"material", m->name}}));
        tell_resident(c, ctx_.text.format("material_return_resident", {{"number", n(c)},
                                                                       {"item", c.service_name},
                                                                       {"material", m->name},
                                                                       {"reason", reason}}));
    }

    boost::asio::awaitable<void> done(const state::case_record& c,
                                      const std::vector<std::string>& args,
                                      const std::string& typed) {
        if (closed(c)) co_return;
        const std::string note = typed.empty() ? joined(args, 0) : typed;
        std::vector<std::pair<std::string, std::string>> fields{
            {"note", note}, {"done_at", std::to_string(ctx_.now)}};
        const auto r = co_await store_.transition(ctx_.in.tenant, c.number, case_status::done,
                                                  me_.id, note, ctx_.now, std::move(fields));
        if (r.outcome != state::change_outcome::done) {
            ctx_.say(ctx_.text.format(
                "agent_not_allowed",
                {{"number", n(c)}, {"status", cases::status_text(ctx_.text, r.previous)}}));
            co_return;
        }
        // The case is done: from here on a failure must not fail the agent's turn (they would
        // see an error for a case that is closed). Both writes stay best effort, as before: a
        // rating word still finds the done case without the marker, and a missing reminder
        // costs only the reminder.
        auto& residents = ctx_.stores.residents;
        try {
            co_await residents.set(ctx_.in.tenant, c.resident, "awaiting_rating", n(c));
        } catch (const state::store_unavailable&) {
        }
        ctx_.say(ctx_.text.format("agent_done", {{"number", n(c)}, {"item", c.service_name}}));
        tell_resident(c, ctx_.text.format("rate_ask", {{"number", n(c)},
                                                       {"item", c.service_name},
                                                       {"note", note.empty() ? "已办好" : note}}));
        // 回访: one reminder two days later if no rating came (handlers/deadlines).
        try {
            co_await arm_followup(ctx_.stores.timers, ctx_.in.tenant, c, ctx_.now_ms);
        } catch (const state::store_unavailable&) {
        }
    }

    boost::asio::awaitable<void> transfer(const state::case_record& c,
                                          const std::vector<std::string>& args,
                                          const std::string& typed) {
        if (closed(c)) co_return;
        if (args.empty()) {
            ctx_.say(ctx_.text.get("agent_transfer_usage"));
            co_return;
        }
        const auto& level_word = args.front();
        const auto& o = ctx_.data->org_;
        std::string owner, level, group;
        if (level_word.starts_with("县")) {
            owner = o.county_admin;
            level = "county";
            group = o.county_group;
        } else if (level_word.starts_with("镇") || level_word.starts_with("乡")) {
            const auto* v = o.find_village(c.village);
            const auto* t = v ? o.find_township(v->township) : nullptr;
            if (t) {
                owner = t->supervisor;
                group = t->group;
            }
            level = "township";
        }
        if (owner.empty()) {
            ctx_.say(ctx_.text.get("agent_transfer_usage"));
            co_return;
        }
        std::string reason = after_first(args, typed);
        std::vector<std::pair<std::string, std::string>> fields{
            {"owner", owner}, {"claimed_by", owner}, {"level", level}};
        const auto r =
            co_await store_.transition(ctx_.in.tenant, c.number, case_status::transferred, me_.id,
                                       reason, ctx_.now, std::move(fields));
        if (r.outcome != state::change_outcome::done) {
            ctx_.say(ctx_.text.format(
                "agent_not_allowed",
                {{"number", n(c)}, {"status", cases::status_text(ctx_.text, r.previous)}}));
            co_return;
        }
        const auto owner_name = cases::agent_name(ctx_.data, owner);
        ctx_.say(ctx_.text.format(
            "agent_transferred",
            {{"number", n(c)}, {"owner", owner_name}, {"level", level == "county" ? "县" : "镇"}}));
        if (!group.empty())
            ctx_.tell({chat_kind::group, group},
                      ctx_.text.format("agent_transferred_target",
                                       {{"number", n(c)},
                                        {"item", c.service_name},
                                        {"village", cases::village_name(ctx_.data, c.village)},
                                        {"from", me_.name},
                                        {"reason", reason.empty() ? "超出村级权限" : reason},
                                        {"due", cases::month_day(c.due)}}),
                      cases::group_mention(ctx_, owner));
    }

    context& ctx_;
    const agent& me_;
    state::case_store& store_;
};

} // namespace

boost::asio::awaitable<void> handle_agent_command(context& ctx) {
    const auto* me = ctx.sender_agent();
    if (!me) {
        // A resident typing "通过 12": a polite no, in the chat it came from.
        ctx.say(ctx.text.get("agent_only"));
        co_return;
    }
    const auto what = ctx.understood.id;
    if (model::needs_case(what) && !ctx.understood.case_ref) {
        ctx.say(ctx.text.get("agent_usage"));
        co_return;
    }
    // A named command, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
    const command cmd{what, ctx.understood.case_ref.value_or(""), ctx.understood.args,
                      ctx.understood.rest_as_typed};
    runner r(ctx, *me);
    co_await r.run(cmd);
}

} // namespace daiban::handlers
