// handlers layer: what the ticket handlers share (see tickets.hpp).
#include "handlers/tickets.hpp"

#include "handlers/case_support.hpp"
#include "state/resident_store.hpp"

namespace daiban::handlers {

namespace tickets {

responders
responders_of(const context& ctx, const std::string& village_id, std::string_view resident) {
    responders r;
    if (!ctx.data || village_id.empty()) return r;
    const auto& org = ctx.data->org_;
    r.village = org.find_village(village_id);
    if (!r.village) return r;
    r.township = org.find_township(r.village->township);
    r.contact = cases::contact_agent_of(*ctx.data, *r.village, resident);
    if (r.township) r.duty = org.find_agent(r.township->supervisor);
    return r;
}

boost::asio::awaitable<std::string> known_village(context& ctx) {
    if (!ctx.conv.village.empty()) co_return ctx.conv.village;
    const auto rid = cases::resident_id(ctx);
    const auto profile = co_await ctx.stores.residents.get(ctx.in.tenant, rid);
    if (!profile.village.empty() || !ctx.data) co_return profile.village;
    // A household head org.json lists: their household's village.
    const auto* h = cases::household_of(*ctx.data, rid);
    co_return h ? h->village : std::string();
}

state::open_ticket_request ticket_request(const context& ctx, state::ticket_kind kind) {
    state::open_ticket_request req;
    req.tenant = ctx.in.tenant;
    req.source_chat = ctx.in.chat.id;
    req.source_message = ctx.in.id;
    req.kind = kind;
    req.text = ctx.in.text;
    req.resident = cases::resident_id(ctx);
    req.resident_name = ctx.in.from_name;
    req.channel = ctx.in.channel;
    req.chat = ctx.in.from_id;
    req.now = ctx.now;
    return req;
}

std::optional<chat_ref> staff_group(const context& ctx, const std::string& owner) {
    if (!ctx.data || owner.empty()) return std::nullopt;
    const auto& o = ctx.data->org_;
    if (owner == o.county_admin && !o.county_group.empty())
        return chat_ref{chat_kind::group, o.county_group};
    for (const auto& t : o.townships)
        if (t.supervisor == owner && !t.group.empty()) return chat_ref{chat_kind::group, t.group};
    return std::nullopt;
}

std::string place_and_who(const context& ctx, const state::ticket_record& t, bool with_name) {
    const std::string place =
        t.village.empty() ? std::string() : cases::village_name(ctx.data, t.village);
    return place + (t.resident_name.empty() || !with_name ? std::string("居民") : t.resident_name);
}

namespace {

void tell_privately(context& ctx, const agent* a, const std::string& body) {
    if (!a) return;
    if (auto to = cases::private_reach(ctx.staff_channels, *a))
        ctx.tell({chat_kind::private_chat, to->id}, body, {}, to->channel);
}

} // namespace

void alert_responders(context& ctx,
                      const state::ticket_record& t,
                      std::string_view key,
                      std::vector<std::pair<std::string_view, std::string>> values) {
    values.emplace_back("number", std::to_string(t.number));
    values.emplace_back("who", place_and_who(ctx, t, true));
    const auto named = ctx.text.format(key, values);
    values.back().second = place_and_who(ctx, t, false);
    const auto unnamed = ctx.text.format(key, values);
    const auto r = responders_of(ctx, t.village, t.resident);
    if (!r.village) {
        // Nobody nearer is known yet: the county's duty group hears it, and is told the village
        // as soon as the resident names it.
        if (!ctx.data) return;
        const auto& org = ctx.data->org_;
        if (!org.county_group.empty())
            ctx.tell({chat_kind::group, org.county_group}, unnamed,
                     cases::group_mention(ctx, org.county_admin));
        tell_privately(ctx, org.find_agent(org.county_admin), named);
        return;
    }
    if (!r.village->group.empty()) {
        std::vector<std::string> mention;
        for (const auto& id : r.village->agents)
            for (auto& m : cases::group_mention(ctx, id))
                mention.push_back(std::move(m));
        ctx.tell({chat_kind::group, r.village->group}, unnamed, std::move(mention));
    }
    tell_privately(ctx, r.contact, named);
    if (r.duty != r.contact) tell_privately(ctx, r.duty, named);
}

void tell_reporter(context& ctx, const state::ticket_record& t, std::string body) {
    if (ctx.in.chat.kind == chat_kind::private_chat && ctx.in.from_id == t.chat &&
        ctx.in.channel == t.channel) {
        ctx.say(std::move(body));
        return;
    }
    ctx.tell({chat_kind::private_chat, t.chat}, std::move(body), {}, t.channel);
}

std::vector<std::string> escalation_timer_ids(std::int64_t number) {
    const auto n = std::to_string(number);
    return {"ticket:" + n + ":unacked:township", "ticket:" + n + ":unacked:county"};
}

} // namespace tickets

} // namespace daiban::handlers
