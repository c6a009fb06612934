// handlers layer: what a handler gets for one turn, and what it gives back. Handlers read and
// write stores and fill `replies`; they never see sockets, HTTP or wire formats (DESIGN §1).
#pragma once

#include "handlers/calendar.hpp"
#include "handlers/model.hpp"
#include "handlers/stores.hpp"
#include "handlers/texts.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace daiban::handlers {

struct context {
    const turn& in;
    const intent& understood;
    conversation& conv;                // saved after the handler returns
    const tenant_data* data = nullptr; // null when the tenant has no data loaded
    const texts& text;
    handlers::stores& stores; // the shard's stores (handlers/stores.hpp)
    std::int64_t now = 0;     // unix seconds (the injectable clock's reading)
    std::vector<reply> replies;
    // Set by the dispatcher (null in tests that need none): the working-day calendar, and the
    // question the bot had asked before this turn (already cleared from `conv`), so an answer
    // can be read against it.
    const work_calendar* calendar = nullptr;
    const pending_question* asked = nullptr;
    std::int64_t now_ms = 0; // the same reading as `now`, in milliseconds (timers)
    // The channel messages to agents' groups go out on (the tenant's configuration decides:
    // bot/outbound/delivery.hpp group_channel); @-mentions in them use the agents' ids there.
    std::string group_channel = "hook";
    // The channels the tenant can reach an agent on privately, in order of preference (hook,
    // wecom, wechat; bot/outbound/delivery.hpp staff_channels). A handler messaging an agent who
    // did not write this turn (a timer's reminder) uses the first one the agent has an id on
    // (handlers/case_support.hpp private_reach).
    std::vector<std::string> staff_channels{"hook"};
    // The base of the staff console's sign-in links (config console.public_url); empty when the
    // deployment has no console reachable by staff.
    std::string console_url{};
    // Downloads a medium the turn only refers to (a WeChat/WeCom MediaId, a bridge's media.url),
    // at most `max_bytes`; set by the dispatcher, which knows the channel and its credentials.
    // Handlers call it only when they keep the file (materials), never for every photo. A file
    // over `max_bytes` fails with boost::system::errc::file_too_large.
    std::function<boost::asio::awaitable<boost::system::result<std::string>>(const media_ref&,
                                                                             std::size_t max_bytes)>
        fetch_media{};

    // A reply where the turn came from: privately, or in the group @-mentioning the sender.
    void say(std::string body) {
        reply r;
        r.chat = in.chat;
        r.text = std::move(body);
        if (in.chat.kind == chat_kind::group) r.mention.push_back(in.from_id);
        replies.push_back(std::move(r));
    }
    // A message to another chat (a group, an agent's private chat). `channel` when the person is
    // reached on another channel than the turn's (see reply::channel); empty = the usual routing.
    void tell(chat_ref chat,
              std::string body,
              std::vector<std::string> mention = {},
              std::string channel = {}) {
        reply r;
        r.chat = std::move(chat);
        r.text = std::move(body);
        r.mention = std::move(mention);
        r.channel = std::move(channel);
        replies.push_back(std::move(r));
    }
    // A reply in the sender's private chat, whatever chat the turn came from.
    void say_privately(std::string body) {
        reply r;
        r.chat = {chat_kind::private_chat, in.from_id};
        r.text = std::move(body);
        replies.push_back(std::move(r));
    }
    // Is the sender one of the tenant's agents?
    const agent* sender_agent() const {
        return data ? data->org_.agent_by_platform_id(in.channel, in.from_id) : nullptr;
    }
};

} // namespace daiban::handlers
