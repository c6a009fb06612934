// bot layer, replies: the reply codec (see codec.hpp).
#include "bot/replies/codec.hpp"

#include "bot/json_text.hpp"

#include <nlohmann/json.hpp>

namespace daiban::bot::replies {

using nlohmann::json;

namespace {

void append_reply(std::string& out, const model::reply& r) {
    auto field = [&out](const char* name, std::string_view v) {
        out.append(name);
        append_json_string(out, v);
    };
    out.append(r.chat.kind == model::chat_kind::group ? R"({"chat":{"type":"group",)"
                                                      : R"({"chat":{"type":"private",)");
    field(R"("id":)", r.chat.id);
    field(R"(},"text":)", r.text);
    out.append(R"(,"mention":[)");
    for (std::size_t i = 0; i < r.mention.size(); ++i) {
        if (i) out.push_back(',');
        append_json_string(out, r.mention[i]);
    }
    out.push_back(']');
    if (r.news) {
        field(R"(,"news":{"title":)", r.news->title);
        field(R"(,"description":)", r.news->description);
        field(R"(,"url":)", r.news->url);
        field(R"(,"pic_url":)", r.news->pic_url);
        out.push_back('}');
    }
    if (r.image_media_id) field(R"(,"image_media_id":)", *r.image_media_id);
    // Only when a handler chose it: a WeChat retry answered from the stored replies must know
    // which of them were never the passive reply's to give.
    if (!r.channel.empty()) field(R"(,"channel":)", r.channel);
    out.push_back('}');
}

} // namespace

std::string encode_replies(const std::vector<model::reply>& replies) {
    // decode_replies and the unit tests read it back with a real parser.
    std::string out;
    out.reserve(64 + 256 * replies.size());
    out.push_back('[');
    for (std::size_t i = 0; i < replies.size(); ++i) {
        if (i) out.push_back(',');
        append_reply(out, replies[i]);
    }
    out.push_back(']');
    return out;
}

std::string encode_reply(const model::reply& reply) {
    std::string out;
    out.reserve(256);
    append_reply(out, reply);
    return out;
}

std::optional<model::reply> reply_from_json(const json& j) {
    if (!j.is_object()) return std::nullopt;
    model::reply r;
    const auto chat = j.value("chat", json::object());
    r.chat.kind = chat.value("type", "private") == "group" ? model::chat_kind::group
                                                           : model::chat_kind::private_chat;
    r.chat.id = chat.value("id", "");
    r.text = j.value("text", "");
    if (auto m = j.find("mention"); m != j.end() && m->is_array())
        for (const auto& id : *m)
            if (id.is_string()) r.mention.push_back(id.get<std::string>());
    if (auto n = j.find("news"); n != j.end() && n->is_object())
        r.news = model::reply::article{n->value("title", ""), n->value("description", ""),
                                       n->value("url", ""), n->value("pic_url", "")};
    if (auto m = j.find("image_media_id"); m != j.end() && m->is_string())
        r.image_media_id = m->get<std::string>();
    r.channel = j.value("channel", "");
    return r;
}

std::vector<model::reply> decode_replies(std::string_view text) {
    std::vector<model::reply> out;
    auto arr = json::parse(text, nullptr, false);
    if (!arr.is_array()) return out;
    for (const auto& j : arr)
        if (auto r = reply_from_json(j)) out.push_back(std::move(*r));
    return out;
}

} // namespace daiban::bot::replies
