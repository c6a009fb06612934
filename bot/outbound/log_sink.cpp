// bot layer, outbound: log_sink (see log_sink.hpp).
#include "bot/outbound/log_sink.hpp"

#include "bot/log.hpp"

namespace daiban::bot::outbound {

std::string describe(const replies::push& p) {
    std::string text;
    for (char c : p.reply.text) {
        if (c == '\n')
            text += "\\n";
        else if (c == '"')
            text += "\\\"";
        else
            text += c;
    }
    const bool group = p.reply.chat.kind == model::chat_kind::group;
    return "event=push tenant=" + p.tenant + " channel=" + p.channel +
           " to=" + (group ? "group:" : "private:") + p.reply.chat.id +
           " key=" + p.idempotency_key + " text=\"" + text + "\"";
}

boost::asio::awaitable<boost::system::result<void>>
log_sink::enqueue(std::vector<replies::push> pushes) {
    for (const auto& p : pushes)
        log::audit(log::mask_personal(describe(p)));
    if (!next_) co_return boost::system::result<void>{};
    co_return co_await next_->enqueue(std::move(pushes));
}

} // namespace daiban::bot::outbound
