// handlers layer: a campaign's two durable timers (armed when it starts, campaign_commands.cpp):
//   - the working day before the deadline, 09:00: each silent household with an account gets a
//     reminder in its own chat (a notice firing, campaigns.hpp), and each contact cadre hears
//     privately which of their households are still missing — visits and calls are theirs;
//   - the deadline, 18:00: the group the campaign belongs to gets the final list, and the
//     campaign closes (late answers are still recorded: the household did pay).
#include "handlers/campaigns.hpp"
#include "handlers/case_support.hpp"

#include <charconv>
#include <map>

namespace daiban::handlers {

namespace asio = boost::asio;
using namespace campaigns;

namespace {

asio::awaitable<std::optional<state::campaign_record>> campaign_of(context& ctx,
                                                                   const std::string& payload) {
    std::int64_t n = 0;
    std::from_chars(payload.data(), payload.data() + payload.size(), n);
    co_return co_await ctx.stores.campaigns.get(ctx.in.tenant, n);
}

} // namespace

asio::awaitable<void> fire_campaign_remind(context& ctx, const std::string& payload) {
    const auto c = co_await campaign_of(ctx, payload);
    if (!c || !c->open || !ctx.data) co_return;
    const auto missing = silent(*c);
    if (missing.empty()) co_return;
    co_await send_notices(ctx, *c, missing, true);
    std::map<std::string, std::string> lists; // contact agent id -> names (and phones)
    for (const auto* m : missing) {
        auto& list = lists[m->contact];
        list += (list.empty() ? "" : "\n") + m->name +
                (m->reachable() ? ctx.text.get("campaign_reminded")
                                : (m->phone.empty() ? "" : " " + m->phone));
    }
    for (const auto& [contact, list] : lists)
        if (auto to = cases::private_reach(ctx, contact))
            ctx.tell({chat_kind::private_chat, to->id},
                     ctx.text.format("campaign_cadre_remind",
                                     {{"label", label(ctx, *c)},
                                      {"deadline", cases::month_day(c->deadline)},
                                      {"list", list}}),
                     {}, to->channel);
}

asio::awaitable<void> fire_campaign_final(context& ctx, const std::string& payload) {
    const auto c = co_await campaign_of(ctx, payload);
    if (!c || !c->open) co_return;
    const bool closed = co_await ctx.stores.campaigns.close(ctx.in.tenant, c->number, ctx.now);
    if (!closed || c->group.empty()) co_return;
    const auto missing = silent(*c);
    std::string rest;
    if (missing.empty()) {
        rest = ctx.text.get("campaign_final_all");
    } else {
        std::string list;
        for (const auto* m : missing)
            list += (list.empty() ? "" : "、") + m->name + "（" +
                    cases::agent_name(ctx.data, m->contact) + "）";
        rest = ctx.text.format("campaign_final_missing", {{"list", list}});
    }
    ctx.tell({chat_kind::group, c->group},
             ctx.text.format("campaign_final",
                             {{"label", label(ctx, *c)},
                              {"done", std::to_string(c->roster.size() - missing.size())},
                              {"total", std::to_string(c->roster.size())},
                              {"rest", rest}}),
             {}, ctx.group_channel);
}

} // namespace daiban::handlers
