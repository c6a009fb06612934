// handlers layer: shared helpers of the case handlers (see case_support.hpp).
#include "handlers/case_support.hpp"

#include <algorithm>
#include <cctype>

namespace daiban::handlers::cases {

std::string resident_id(std::string_view channel, std::string_view platform_id) {
    return std::string(channel) + ":" + std::string(platform_id);
}

std::string resident_id(const context& ctx) {
    return resident_id(ctx.in.channel, ctx.in.from_id);
}

std::string code_prefix(const context& ctx, const civil_date& day) {
    std::string prefix = ctx.in.tenant;
    for (auto& ch : prefix)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string ymd = day.iso();
    ymd.erase(std::remove(ymd.begin(), ymd.end(), '-'), ymd.end());
    return prefix + "-" + ymd + "-";
}

std::string case_code(const std::string& prefix, std::int64_t number) {
    const auto n = std::to_string(number);
    return prefix + std::string(4 - std::min<std::size_t>(4, n.size()), '0') + n;
}

civil_date today(const context& ctx) {
    const std::int64_t local = ctx.now + 8 * 3600;
    return civil_date::from_days(local >= 0 ? local / 86400 : (local - 86399) / 86400);
}

const work_calendar& calendar_of(const context& ctx) {
    if (ctx.calendar) return *ctx.calendar;
    static const auto fallback = work_calendar::weekends_only();
    return *fallback;
}

const village* find_village(const org& o, std::string_view text) {
    if (text.empty()) return nullptr;
    for (const auto& v : o.villages) {
        if (v.id == text || v.name == text) return &v;
        for (const auto& a : v.aliases)
            if (a == text) return &v;
    }
    // "黄花岭村四组" or "我是黄花岭村的": the longest name contained in the text.
    const village* best = nullptr;
    std::size_t best_len = 0;
    for (const auto& v : o.villages) {
        auto consider = [&](const std::string& n) {
            if (n.size() > best_len && text.find(n) != std::string_view::npos) {
                best = &v;
                best_len = n.size();
            }
        };
        consider(v.name);
        for (const auto& a : v.aliases)
            consider(a);
    }
    return best;
}

const household* household_of(const tenant_data& d, std::string_view resident) {
    const auto colon = resident.find(':');
    if (colon == std::string_view::npos) return nullptr;
    return d.org_.household_by_platform_id(std::string(resident.substr(0, colon)),
                                           std::string(resident.substr(colon + 1)));
}

const agent* contact_agent_of(const tenant_data& d, const village& v, std::string_view resident) {
    return d.org_.contact_agent(v, resident.empty() ? nullptr : household_of(d, resident));
}

std::string agent_name(const tenant_data* d, const std::string& agent_id) {
    if (d)
        if (const auto* a = d->org_.find_agent(agent_id)) return a->name;
    return agent_id;
}

std::string village_name(const tenant_data* d, const std::string& village_id) {
    if (d)
        if (const auto* v = d->org_.find_village(village_id)) return v->name;
    return village_id;
}

std::string platform_id(const agent& a, const std::string& channel) {
    auto it = a.ids.find(channel);
    return it == a.ids.end() ? std::string() : it->second;
}

std::vector<std::string> group_mention(const context& ctx, const std::string& agent_id) {
    std::vector<std::string> out;
    if (ctx.data)
        if (const auto* a = ctx.data->org_.find_agent(agent_id))
            if (auto id = platform_id(*a, ctx.group_channel); !id.empty()) out.push_back(id);
    return out;
}

std::optional<private_address> private_reach(const std::vector<std::string>& channels,
                                             const agent& a) {
    for (const auto& channel : channels)
        if (auto id = platform_id(a, channel); !id.empty()) return private_address{channel, id};
    return std::nullopt;
}

std::optional<private_address> private_reach(const context& ctx, const std::string& agent_id) {
    const agent* a = ctx.data ? ctx.data->org_.find_agent(agent_id) : nullptr;
    if (!a) return std::nullopt;
    return private_reach(ctx.staff_channels, *a);
}

std::string checklist(const service_item& item) {
    std::string out;
    int i = 0;
    for (const auto& m : item.materials) {
        if (!out.empty()) out += "\n";
        out += std::to_string(++i) + ". " + m.name;
        if (!m.note.empty()) out += "（" + m.note + "）";
    }
    return out;
}

std::string short_name(const service_item& item) {
    return item.aliases.empty() ? item.name : item.aliases.front();
}

std::string service_choices(const tenant_data& d, const std::vector<std::string>& ids) {
    std::string out;
    int i = 0;
    for (const auto& id : ids) {
        const auto* s = d.catalog_.find_service(id);
        if (!s) continue;
        if (!out.empty()) out += "\n";
        out += std::to_string(++i) + ". " + s->name;
    }
    return out;
}

std::vector<std::string> common_services(const tenant_data& d) {
    std::vector<std::string> out;
    for (const char* id : {"medical_reimburse", "medical_relief", "pension_claim", "dibao",
                           "social_security_card", "hukou_reissue"})
        if (d.catalog_.find_service(id)) out.emplace_back(id);
    return out;
}

std::string rating_level(const texts& t, int score) {
    const std::string& all = t.get("rate_levels");
    std::size_t b = 0;
    for (int i = 1; i < score; ++i)
        b = all.find('|', b) + 1;
    const auto e = all.find('|', b);
    return all.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

state::open_case_request case_request(const context& ctx,
                                      const service_item& item,
                                      const village& v,
                                      const std::string& owner,
                                      const std::string& source_chat,
                                      const std::string& source_message) {
    const auto day = today(ctx);
    const auto due = calendar_of(ctx).add_working_days(day, item.time_limit_days);
    state::open_case_request req;
    req.tenant = ctx.in.tenant;
    req.source_chat = source_chat;
    req.source_message = source_message;
    req.code_prefix = code_prefix(ctx, day);
    req.service = item.id;
    req.service_name = item.name;
    req.catalog_version = ctx.data ? ctx.data->catalog_.version : "";
    req.village = v.id;
    req.owner = owner;
    req.due = due.iso();
    req.due_days = due.to_days();
    req.now = ctx.now;
    std::string papers;
    for (const auto& m : item.materials) {
        req.materials.emplace_back(m.id, m.name);
        papers += (papers.empty() ? "" : "、") + m.name;
    }
    req.mandate = ctx.text.format(papers.empty() ? "mandate_no_materials" : "mandate",
                                  {{"item", item.name}, {"materials", papers}});
    return req;
}

history_wording
history_words(const texts& t, const state::case_record& c, const state::case_event& e) {
    auto material_name = [&](std::string_view id) -> std::string {
        if (const auto* m = c.material(id)) return m->name;
        return std::string(id);
    };
    const std::string& w = e.what;
    history_wording out{{}, e.why};
    if (w.starts_with("status:")) {
        const auto s = state::parse_case_status(w.substr(7));
        out.what = s ? status_text(t, *s) : w;
    } else if (w == "opened") {
        out.what = t.get("history_opened");
        out.why.clear(); // the item's name, already on the card
    } else if (w == "claimed") {
        out.what = t.get("history_claimed");
    } else if (w == "handed_over") {
        out.what = t.get("history_handed_over");
    } else if (w.starts_with("material:")) {
        out.what = t.format("history_material", {{"name", material_name(w.substr(9))}});
        out.why.clear(); // a file id means nothing to a person
    } else if (w == "accepted:all") {
        out.what = t.get("history_accepted_all");
    } else if (w.starts_with("accepted:")) {
        out.what = t.format("history_accepted", {{"name", material_name(w.substr(9))}});
    } else if (w.starts_with("rejected:")) {
        out.what = t.format("history_rejected", {{"name", material_name(w.substr(9))}});
    } else {
        out.what = w;
    }
    return out;
}

std::string status_text(const texts& t, state::case_status s) {
    return t.get("status_" + std::string(state::to_string(s)));
}

std::vector<const state::case_material*> needed(const state::case_record& c) {
    std::vector<const state::case_material*> out;
    for (const auto& m : c.materials)
        if (m.state == "missing" || m.state == "rejected") out.push_back(&m);
    return out;
}

std::string join_names(const std::vector<const state::case_material*>& ms) {
    std::string out;
    for (const auto* m : ms)
        out += (out.empty() ? "" : "、") + m->name;
    return out;
}

const state::case_material*
material_named(const tenant_data* d, const state::case_record& c, std::string_view text) {
    if (text.empty()) return nullptr;
    for (const auto& m : c.materials)
        if (m.id == text || m.name == text) return &m;
    const service_item* item = d ? d->catalog_.find_service(c.service) : nullptr;
    // The longest name or alias mentioned in the text wins ("发票看不清" names 发票).
    const state::case_material* best = nullptr;
    std::size_t best_len = 0;
    for (const auto& m : c.materials) {
        std::vector<std::string> names{m.name};
        if (item)
            for (const auto& cm : item->materials)
                if (cm.id == m.id) names.insert(names.end(), cm.aliases.begin(), cm.aliases.end());
        for (const auto& n : names)
            if (n.size() > best_len && text.find(n) != std::string_view::npos) {
                best = &m;
                best_len = n.size();
            }
    }
    return best;
}

std::optional<std::string> sniff_file_type(std::string_view b) {
    if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF &&
        static_cast<unsigned char>(b[1]) == 0xD8 && static_cast<unsigned char>(b[2]) == 0xFF)
        return "jpg";
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return "png";
    if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "pdf";
    return std::nullopt;
}

std::string month_day(std::string_view iso) {
    if (iso.size() != 10) return std::string(iso);
    auto num = [](std::string_view s) {
        int v = 0;
        for (char c : s)
            v = v * 10 + (c - '0');
        return v;
    };
    return std::to_string(num(iso.substr(5, 2))) + "月" + std::to_string(num(iso.substr(8, 2))) +
           "日";
}

std::optional<chat_ref> village_group(const context& ctx, const std::string& village_id) {
    if (!ctx.data) return std::nullopt;
    const auto* v = ctx.data->org_.find_village(village_id);
    if (!v || v->group.empty()) return std::nullopt;
    return chat_ref{chat_kind::group, v->group};
}

void post_case_card(context& ctx,
                    std::int64_t number,
                    const std::string& item_name,
                    const village& v,
                    const std::string& due_iso,
                    const std::string& owner) {
    const auto g = village_group(ctx, v.id);
    if (!g) return;
    ctx.tell(*g,
             ctx.text.format("case_card", {{"number", std::to_string(number)},
                                           {"item", item_name},
                                           {"village", v.name},
                                           {"due", month_day(due_iso)},
                                           {"owner", agent_name(ctx.data, owner)}}),
             group_mention(ctx, owner));
}

} // namespace daiban::handlers::cases
