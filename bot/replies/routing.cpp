// bot layer, replies: routing (see routing.hpp).
#include "bot/replies/routing.hpp"

#include "bot/replies/codec.hpp"
#include "common/sha256.hpp"

namespace daiban::bot::replies {

std::string group_channel(const tenant_config& t) {
    if (t.hook) return "hook";
    if (t.wecom && !t.wecom->group_webhooks.empty()) return "wecom";
    return "hook"; // fails as not configured, visibly, in the dead-letter stream
}

std::vector<std::string> staff_channels(const tenant_config& t) {
    std::vector<std::string> out;
    if (t.hook) out.emplace_back("hook");
    // An app message needs the corp and the app it is sent as; group bots alone cannot reach a
    // person.
    if (t.wecom && !t.wecom->corp_id.empty() && !t.wecom->agent_id.empty())
        out.emplace_back("wecom");
    if (t.wechat) out.emplace_back("wechat");
    return out;
}

std::string
route_channel(const tenant_config& t, const model::reply& r, const std::string& origin) {
    // The handler knew where the person is (a resident's case channel, an agent's first
    // reachable channel): that wins over the turn's. A channel the tenant lacks fails visibly in
    // the dead-letter stream.
    if (!r.channel.empty()) return r.channel;
    // (A group without a webhook of its own then fails visibly, naming the group.)
    if (r.chat.kind == model::chat_kind::group) return group_channel(t);
    if (origin == "wechat" || origin == "wecom" || origin == "hook") return origin;
    if (t.hook) return "hook";
    if (t.wechat) return "wechat";
    return "wecom";
}

std::vector<push> to_pushes(const tenant_config* t,
                            const std::string& tenant,
                            const std::string& channel,
                            const std::string& message_id,
                            std::vector<model::reply> replies) {
    std::vector<push> pushes;
    pushes.reserve(replies.size());
    for (auto& r : replies) {
        push p;
        p.tenant = tenant;
        p.channel = t ? route_channel(*t, r, channel) : channel;
        p.encoded_reply = encode_reply(r);
        // The digest is of encode_replies({r}), which is the one reply's encoding in brackets.
        p.idempotency_key =
            channel + ":" +
            sha256_hex(channel + ":" + message_id + "\x1f[" + p.encoded_reply + ']').substr(0, 40);
        p.reply = std::move(r);
        pushes.push_back(std::move(p));
    }
    return pushes;
}

} // namespace daiban::bot::replies
