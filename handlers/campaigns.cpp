// handlers layer: what the campaign handlers share (see campaigns.hpp).
#include "handlers/campaigns.hpp"

#include "handlers/case_support.hpp"

#include <charconv>
#include <map>

namespace daiban::handlers::campaigns {

std::string label(const context& ctx, const state::campaign_record& c) {
    const auto kind = ctx.text.get(
        c.kind == state::campaign_kind::collect ? "campaign_kind_collect" : "campaign_kind_notice");
    return kind + " #" + std::to_string(c.number) + "「" + c.title + "」";
}

std::string amount_note(const state::campaign_record& c) {
    return c.amount_text.empty() ? std::string() : "（" + c.amount_text + "）";
}

std::string names(const context& ctx, const std::vector<const state::campaign_member*>& ms) {
    if (ms.empty()) return ctx.text.get("campaign_none");
    std::string out;
    for (const auto* m : ms)
        out += (out.empty() ? "" : "、") + m->name;
    return out;
}

std::vector<const state::campaign_member*> silent(const state::campaign_record& c) {
    std::vector<const state::campaign_member*> out;
    for (const auto& m : c.roster)
        if (!c.answered(m.key)) out.push_back(&m);
    return out;
}

boost::asio::awaitable<void> send_notices(context& ctx,
                                          const state::campaign_record& c,
                                          const std::vector<const state::campaign_member*>& to,
                                          bool nudge) {
    const auto n = std::to_string(c.number);
    for (const auto* m : to) {
        if (!m->reachable()) continue;
        state::timer t;
        // One arming per member and purpose: a retried command re-arms the same timer, and a
        // later 催交 (its own minute) is a new one.
        t.id = "campaign:" + n + ":" +
               (nudge ? "nudge:" + std::to_string(ctx.now / 60) : "notice") + ":" + m->key;
        t.due_ms = ctx.now_ms;
        t.kind = "campaign_notice";
        t.target = m->chat;
        t.channel = m->channel;
        t.payload = n + "|" + m->key + (nudge ? "|nudge" : "");
        co_await ctx.stores.timers.schedule(ctx.in.tenant, t);
    }
}

void tell_cadres_offline(context& ctx,
                         const state::campaign_record& c,
                         const std::vector<const state::campaign_member*>& members,
                         std::string_view key) {
    std::map<std::string, std::string> lists; // contact agent id -> lines
    for (const auto* m : members) {
        if (m->reachable()) continue;
        auto& list = lists[m->contact];
        list += (list.empty() ? "" : "\n") + m->name + (m->phone.empty() ? "" : " " + m->phone);
    }
    for (const auto& [contact, list] : lists) {
        // Phone numbers are personal details: only ever in the cadre's private chat.
        if (auto to = cases::private_reach(ctx, contact))
            ctx.tell({chat_kind::private_chat, to->id},
                     ctx.text.format(key, {{"label", label(ctx, c)}, {"list", list}}), {},
                     to->channel);
    }
}

std::optional<member_ref> parse_member_ref(std::string_view text) {
    const auto bar = text.find('|');
    if (bar == std::string_view::npos) return std::nullopt;
    member_ref r;
    const auto digits = text.substr(0, bar);
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), r.number);
    if (ec != std::errc() || p != digits.data() + digits.size() || r.number <= 0)
        return std::nullopt;
    auto rest = text.substr(bar + 1);
    r.member = std::string(rest.substr(0, rest.find('|')));
    if (r.member.empty()) return std::nullopt;
    return r;
}

} // namespace daiban::handlers::campaigns
