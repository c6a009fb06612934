// model layer: the one intent table. Every place that names an intent derives from it: the NLU's
// labels (the classifier's training labels must be among them), the handler table
// (handlers/run.cpp), the fallback's "您是想…" labels, the custom-menu keys and the phrases on the
// buttons, the agent-command verbs typed in groups, and who may use an intent. Adding an intent
// is one line here plus its handler.
//
// X(name, handler, audience, choice label, menu key, menu phrase, typed verbs)
//   handler      the handlers:: function that does the job (handlers/run.cpp binds it; the NLU
//                and the channels never see it)
//   audience     anyone | agent (agent intents are taken in a group even when the bot was not
//                addressed, and refused politely to residents)
//   choice label how the fallback offers the intent when unsure ("" = never offered: intents
//                without a handler of their own are not offered, or picking one would only bring
//                the fallback back)
//   menu key     the custom-menu CLICK key (deploy/tenants/<t>/menu.json) that means it ("" none)
//   menu phrase  the button's label; typed as it is, it means the intent too
//   typed verbs  "|"-separated command words an agent types first: "接单 12" (agent intents);
//                a longer verb must come before a shorter one it starts with
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

// clang-format off
#define DAIBAN_INTENTS(X)                                                                         \
    X(unknown,                handle_unrouted,               anyone, "",               "",             "",         "")             \
    X(help,                   handle_help,                   anyone, "看看我能做什么", "GUIDE",        "办事指南", "")             \
    X(open_case,              handle_open_case,              anyone, "请代理员代办一件事", "CASE_NEW", "我要代办", "")             \
    X(ask_materials,          handle_ask_materials,          anyone, "问办事要带什么材料", "",         "",         "")             \
    X(ask_process,            handle_ask_process,            anyone, "问办事流程",     "",             "",         "")             \
    X(ask_conditions,         handle_ask_conditions,         anyone, "问能不能办、要什么条件", "",   "",         "")             \
    X(ask_contact,            handle_ask_contact,            anyone, "问办公时间和电话", "",           "",         "")             \
    X(book_appointment,       handle_book_appointment,       anyone, "预约时间去办",   "BOOK",         "预约办理", "")             \
    X(reschedule_appointment, handle_reschedule_appointment, anyone, "",               "",             "",         "")             \
    X(cancel_appointment,     handle_cancel_appointment,     anyone, "",               "",             "",         "")             \
    X(query_progress,         handle_query_progress,         anyone, "查办理进度",     "PROGRESS",     "进度查询", "")             \
    X(submit_material,        handle_submit_material,        anyone, "",               "",             "",         "")             \
    X(rate,                   handle_rate,                   anyone, "给服务打分",     "RATE",         "评价",     "")             \
    X(complain,               handle_complain,               anyone, "",               "",             "",         "")             \
    X(suggest,                handle_suggest,                anyone, "",               "",             "",         "")             \
    X(report_emergency,       handle_report_emergency,       anyone, "",               "",             "",         "")             \
    X(cancel_case,            handle_cancel_case,            anyone, "",               "",             "",         "")             \
    X(contact_agent,          handle_contact_agent,          anyone, "联系代理员",     "CONTACT_AGENT", "联系代理员", "")          \
    X(bind_village,           handle_bind_village,           anyone, "",               "",             "",         "")             \
    X(pay_fee,                handle_pay_fee,                anyone, "",               "",             "",         "")             \
    X(correct,                handle_correct,                anyone, "",               "",             "",         "")             \
    X(thanks,                 handle_thanks,                 anyone, "",               "",             "",         "")             \
    X(consult,                handle_consult,                anyone, "",               "",             "",         "")             \
    X(campaign_reply,         handle_campaign_reply,         anyone, "",               "",             "",         "")             \
    X(who_viewed,             handle_who_viewed,             anyone, "",               "",             "",         "")             \
    X(agent_list,             handle_agent_command,          agent,  "",               "",             "",         "我的待办|待办") \
    X(agent_claim,            handle_agent_command,          agent,  "",               "",             "",         "接单|认领")    \
    X(agent_view,             handle_agent_command,          agent,  "",               "",             "",         "查看|详情")    \
    X(agent_approve,          handle_agent_command,          agent,  "",               "",             "",         "通过")         \
    X(agent_return,           handle_agent_command,          agent,  "",               "",             "",         "补正|退回")    \
    X(agent_done,             handle_agent_command,          agent,  "",               "",             "",         "已办结|办结")  \
    X(agent_transfer,         handle_agent_command,          agent,  "",               "",             "",         "转办|转交")    \
    X(agent_ack,              handle_ticket_command,         agent,  "",               "",             "",         "收到")         \
    X(agent_on_site,          handle_ticket_command,         agent,  "",               "",             "",         "到场")         \
    X(agent_stand_down,       handle_ticket_command,         agent,  "",               "",             "",         "解除")         \
    X(agent_answer,           handle_ticket_command,         agent,  "",               "",             "",         "答复|回复")    \
    X(agent_learn,            handle_ticket_command,         agent,  "",               "",             "",         "入库")         \
    X(agent_to_case,          handle_ticket_command,         agent,  "",               "",             "",         "转代办")       \
    X(agent_notice,           handle_campaign_command,       agent,  "",               "",             "",         "发起收缴|发起通知") \
    X(agent_progress,         handle_campaign_command,       agent,  "",               "",             "",         "进度")         \
    X(agent_chase,            handle_campaign_command,       agent,  "",               "",             "",         "催交")         \
    X(agent_mark_paid,        handle_campaign_command,       agent,  "",               "",             "",         "已交")         \
    X(agent_stats,            handle_stats,                  agent,  "",               "",             "",         "统计")         \
    X(agent_console,          handle_console_link,           agent,  "",               "",             "",         "后台|登录")    \
    X(timer,                  handle_timer,                  anyone, "",               "",             "",         "")
// clang-format on

namespace daiban::model {

enum class intent_id : unsigned char {
#define DAIBAN_INTENT_ENUM(name, handler, audience, label, key, phrase, verbs) name,
    DAIBAN_INTENTS(DAIBAN_INTENT_ENUM)
#undef DAIBAN_INTENT_ENUM
};

enum class audience { anyone, agent };

struct intent_info {
    intent_id id;
    std::string_view name;
    audience who;
    std::string_view choice_label;
    std::string_view menu_key;
    std::string_view menu_phrase;
    std::string_view typed_verbs;
};

inline constexpr intent_info intent_table[] = {
#define DAIBAN_INTENT_INFO(name, handler, aud, label, key, phrase, verbs)                          \
    {intent_id::name, #name, audience::aud, label, key, phrase, verbs},
    DAIBAN_INTENTS(DAIBAN_INTENT_INFO)
#undef DAIBAN_INTENT_INFO
};
inline constexpr std::size_t intent_count = std::size(intent_table);

constexpr const intent_info& info(intent_id id) {
    return intent_table[static_cast<std::size_t>(id)];
}
constexpr std::string_view name_of(intent_id id) {
    return info(id).name;
}
constexpr bool for_agents(intent_id id) {
    return info(id).who == audience::agent;
}

// The intent called `name`, if the table has one.
constexpr std::optional<intent_id> intent_named(std::string_view name) {
    for (const auto& i : intent_table)
        if (i.name == name) return i.id;
    return std::nullopt;
}

// The intent a custom-menu CLICK key stands for, and the one whose button label is exactly
// `text` (surrounding spaces and newlines ignored).
const intent_info* intent_of_menu_key(std::string_view key);
const intent_info* intent_of_menu_phrase(std::string_view text);
// Every CLICK key the bot knows, for checking a menu before it is pushed.
std::vector<std::string_view> menu_keys();

} // namespace daiban::model
