// handlers layer: guide answers (办事指南) — answers, never actions. `ask_materials` gives the
// item's checklist; `ask_process` its steps, office, time limit, fee and whether the resident must
// come in person (领办); `ask_conditions` who qualifies, then offers to have it done (a case opens
// only on "是"); `ask_contact` the office's hours and phone; `pay_fee` what residents pay each
// year. The item is the one named, the one picked from the bot's choices, or the one the
// conversation was about ("那怎么办理"); when none, the bot asks with numbered choices.
#include "handlers/campaigns.hpp"
#include "handlers/case_support.hpp"
#include "handlers/consultations.hpp"
#include "handlers/registry.hpp"
#include "state/resident_store.hpp"

#include <string_view>

namespace daiban::handlers {

namespace {

// The item the resident means: named in this turn, picked from the choices the bot offered, or
// the one this conversation was about.
const service_item* item_asked(const context& ctx) {
    if (!ctx.data) return nullptr;
    if (ctx.understood.service)
        if (const auto* s = ctx.data->catalog_.find_service(*ctx.understood.service)) return s;
    if (ctx.asked && ctx.understood.choice && *ctx.understood.choice >= 1 &&
        *ctx.understood.choice <= static_cast<int>(ctx.asked->options.size()))
        return ctx.data->catalog_.find_service(
            ctx.asked->options[static_cast<std::size_t>(*ctx.understood.choice - 1)]);
    if (ctx.asked && !ctx.asked->topic.subject.empty())
        if (const auto* s = ctx.data->catalog_.find_service(ctx.asked->topic.subject)) return s;
    if (!ctx.conv.service.empty()) return ctx.data->catalog_.find_service(ctx.conv.service);
    return nullptr;
}

void ask_which(context& ctx, intent_id job) {
    if (!ctx.data) {
        ctx.say(ctx.text.get("guide_unknown_item"));
        return;
    }
    auto options = cases::common_services(*ctx.data);
    ctx.say(ctx.text.format("guide_which_item",
                            {{"choices", cases::service_choices(*ctx.data, options)}}));
    ctx.conv.pending = pending_question{question_kind::choice, {job, {}}, std::move(options)};
}

// The resident's village: named now, remembered by the conversation, or in their profile.
boost::asio::awaitable<const village*> residents_village(context& ctx) {
    if (const auto* v = cases::village_answered(ctx)) co_return v;
    if (!ctx.conv.village.empty())
        if (const auto* v = ctx.data->org_.find_village(ctx.conv.village)) co_return v;
    const auto p = co_await ctx.stores.residents.get(ctx.in.tenant, cases::resident_id(ctx));
    if (!p.village.empty()) co_return ctx.data->org_.find_village(p.village);
    co_return nullptr;
}

// "周一至周五 08:30-11:30、13:30-17:00" from an office's weekly hours.
std::string hours_text(const office& o) {
    static constexpr std::string_view names[] = {"周一", "周二", "周三", "周四",
                                                 "周五", "周六", "周日"};
    std::string out;
    std::size_t d = 0;
    while (d < model::weekday_keys.size()) {
        const auto it = o.hours.find(std::string(model::weekday_keys[d]));
        const std::vector<std::string> none;
        const auto& periods = it == o.hours.end() ? none : it->second;
        std::size_t e = d + 1; // days in a row with the same hours read as one range
        while (e < model::weekday_keys.size()) {
            const auto jt = o.hours.find(std::string(model::weekday_keys[e]));
            if ((jt == o.hours.end() ? none : jt->second) != periods) break;
            ++e;
        }
        if (!periods.empty()) {
            std::string span(names[d]);
            if (e - d > 1) span += "至" + std::string(names[e - 1]);
            std::string times;
            for (const auto& p : periods)
                times += (times.empty() ? "" : "、") + p;
            out += (out.empty() ? "" : "；") + span + " " + times;
        }
        d = e;
    }
    return out.empty() ? std::string("请电话询问") : out;
}

// "低保一个月能领多少钱", "养老金每月给多少", "二次救助能报多少": how much an item pays a
// resident, which its process or conditions would not answer. (What a resident pays each year,
// "医保一年交多少钱", is pay_fee; what the office charges is the process answer's 费用.)
bool asks_benefit(std::string_view text) {
    for (std::string_view w : {"领多少", "能领", "给多少", "补多少", "发多少", "拿多少", "报多少",
                               "一个月多少", "每月多少", "标准是多少", "怎么算"})
        if (text.find(w) != std::string_view::npos) return true;
    return false;
}

// Answers a question of how much `item` pays: the catalogue's `benefit`, or — never a figure it
// does not give — that the agent will say. False when the question is another one.
bool answer_benefit(context& ctx, const service_item& item) {
    if (!asks_benefit(ctx.understood.normalized)) return false;
    ctx.conv.service = item.id;
    ctx.say(item.benefit.empty() ? ctx.text.format("guide_benefit_unknown", {{"item", item.name}})
                                 : ctx.text.format("guide_benefit", {{"item", item.name},
                                                                     {"benefit", item.benefit}}));
    return true;
}

// Offers to have the item done; the answer "是" opens the case (handle_open_case).
void offer_case(context& ctx, const service_item& item) {
    ctx.conv.pending =
        pending_question{question_kind::confirm, {intent_id::open_case, item.id}, {}};
    ctx.conv.service = item.id;
}

} // namespace

boost::asio::awaitable<void> handle_ask_materials(context& ctx) {
    const auto* item = item_asked(ctx);
    if (!item) {
        // A question about no catalogue item may be a policy question the FAQ answers.
        if (co_await answer_from_faq(ctx)) co_return;
        ask_which(ctx, intent_id::ask_materials);
        co_return;
    }
    ctx.conv.service = item->id;
    ctx.say(ctx.text.format("guide_materials", {{"item", item->name},
                                                {"list", cases::checklist(*item)},
                                                {"short", cases::short_name(*item)}}));
}

boost::asio::awaitable<void> handle_ask_process(context& ctx) {
    const auto* item = item_asked(ctx);
    if (!item) {
        // A question about no catalogue item may be a policy question the FAQ answers.
        if (co_await answer_from_faq(ctx)) co_return;
        ask_which(ctx, intent_id::ask_process);
        co_return;
    }
    if (answer_benefit(ctx, *item)) co_return;
    ctx.conv.service = item->id;
    // The resident's own township hall when their village is known.
    const village* v = co_await residents_village(ctx);
    const office* o = ctx.data->office_for(*item, v ? v->township : std::string());
    ctx.say(ctx.text.format(
        "guide_process", {{"item", item->name},
                          {"process", item->process},
                          {"office", o ? o->name : item->office},
                          {"address", o ? o->address : ""},
                          {"phone", o ? o->phone : ""},
                          {"days", std::to_string(item->time_limit_days)},
                          {"fee", item->fee},
                          {"mode", ctx.text.get(item->mode == "accompany" ? "guide_mode_accompany"
                                                                          : "guide_mode_proxy")}}));
}

boost::asio::awaitable<void> handle_ask_conditions(context& ctx) {
    const auto* item = item_asked(ctx);
    if (!item) {
        // A question about no catalogue item may be a policy question the FAQ answers.
        if (co_await answer_from_faq(ctx)) co_return;
        ask_which(ctx, intent_id::ask_conditions);
        co_return;
    }
    if (answer_benefit(ctx, *item)) co_return;
    const village* v = co_await residents_village(ctx);
    const office* o = ctx.data->office_for(*item, v ? v->township : std::string());
    const std::string answer =
        item->conditions.empty()
            ? ctx.text.format("guide_conditions_unknown", {{"item", item->name},
                                                           {"office", o ? o->name : item->office},
                                                           {"phone", o ? o->phone : ""}})
            : ctx.text.format("guide_conditions",
                              {{"item", item->name}, {"conditions", item->conditions}});
    ctx.say(answer + "\n" + ctx.text.format("guide_offer", {{"short", cases::short_name(*item)}}));
    offer_case(ctx, *item);
}

boost::asio::awaitable<void> handle_ask_contact(context& ctx) {
    if (!ctx.data) {
        ctx.say(ctx.text.get("guide_unknown_item"));
        co_return;
    }
    const village* v = co_await residents_village(ctx);
    const service_item* item = nullptr;
    if (ctx.understood.service) item = ctx.data->catalog_.find_service(*ctx.understood.service);
    const office* o = nullptr;
    if (item) o = ctx.data->office_for(*item, v ? v->township : std::string());
    if (!o && v)
        if (const auto* t = ctx.data->org_.find_township(v->township))
            o = ctx.data->catalog_.find_office(t->office);
    if (!o) {
        cases::ask_village(ctx, {intent_id::ask_contact, {}});
        co_return;
    }
    if (v) ctx.conv.village = v->id;
    std::string agent_line;
    if (v)
        if (const auto* a = cases::contact_agent_of(*ctx.data, *v, cases::resident_id(ctx)))
            agent_line = "\n" + ctx.text.format("guide_contact_agent",
                                                {{"village", v->name}, {"agent", a->name}});
    ctx.say(ctx.text.format("guide_contact", {{"office", o->name},
                                              {"hours", hours_text(*o)},
                                              {"address", o->address},
                                              {"phone", o->phone},
                                              {"agent", agent_line}}));
}

boost::asio::awaitable<void> handle_pay_fee(context& ctx) {
    // "交了" from a household an open collection still waits for: asked, never guessed.
    const bool campaign = co_await ask_about_awaited_campaign(ctx);
    if (campaign) co_return;
    const auto* item = item_asked(ctx);
    if (!item) {
        // A question about no catalogue item may be a policy question the FAQ answers.
        if (co_await answer_from_faq(ctx)) co_return;
        ask_which(ctx, intent_id::pay_fee);
        co_return;
    }
    ctx.conv.service = item->id;
    // Never a figure the catalogue does not give: a wrong amount said with confidence costs
    // more than "ask your agent".
    if (item->payment.empty()) {
        ctx.say(ctx.text.format("guide_payment_unknown", {{"item", item->name}}));
        co_return;
    }
    ctx.say(ctx.text.format("guide_payment", {{"item", item->name}, {"payment", item->payment}}));
}

} // namespace daiban::handlers
