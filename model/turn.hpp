// model layer: the words handlers speak. A `turn` is one thing someone said to the bot (text,
// a photo, a menu click...), already translated out of its wire format by a channel in bot/.
// A `reply` is one thing the bot says back. Neither knows about HTTP, XML or JSON hooks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace daiban::model {

enum class chat_kind { private_chat, group };

struct chat_ref {
    chat_kind kind = chat_kind::private_chat;
    std::string id; // private: the person's id; group: the group's id

    bool operator==(const chat_ref&) const = default;
};

enum class turn_kind { text, image, voice, video, file, location, link, event };

// Words the person said: typed, or a voice message as the platform recognised it. Both are read
// the same way (commands, privacy checks, ratings); only the media differ.
inline bool is_words(turn_kind k) {
    return k == turn_kind::text || k == turn_kind::voice;
}

struct media_ref {
    std::string url;      // where the bot may fetch it (http/https), if given
    std::string data;     // the bytes, if they came inline (already base64-decoded)
    std::string mime;     // e.g. image/jpeg
    std::string name;     // original file name, if known
    std::string media_id; // platform media id (WeChat MediaId), if any
};

struct location_ref {
    double lat = 0;
    double lng = 0;
    std::string label;
};

struct event_ref {
    std::string name; // menu | subscribe | unsubscribe | scan | timer | ...
    std::string key;  // menu key, QR scene ("village:hhl"), timer payload ...
};

struct turn {
    std::string tenant;
    std::string channel;   // hook | wechat | wecom | timer
    std::string id;        // platform message id (unique per chat)
    std::int64_t time = 0; // unix seconds, as the sender stamped it
    chat_ref chat;
    std::string from_id;
    std::string from_name;
    bool mentions_bot = false;
    turn_kind kind = turn_kind::text;
    std::string text; // text, or a voice message's recognition
    std::optional<media_ref> media;
    std::optional<location_ref> location;
    std::optional<event_ref> event;

    // The conversation this turn belongs to: a person in a private chat, or a person within a
    // group. One conversation's turns run one at a time, in order (see bot/dialogue).
    std::string conversation_key() const {
        return chat.kind == chat_kind::private_chat ? "p:" + from_id
                                                    : "g:" + chat.id + ":" + from_id;
    }
};

struct reply {
    chat_ref chat;
    std::string text;
    // The channel to send on ("hook" | "wechat" | "wecom"), when the handler knows better than
    // the turn: a resident told from an agent's group is reached where they wrote from (their
    // case's channel), an agent reminded by a timer on the first channel the tenant and the agent
    // share. Empty = the turn's channel for a private chat, the tenant's group channel for a
    // group (bot/outbound/delivery.hpp route_channel). A reply whose channel is not the turn's is
    // never answered in the turn's response; it leaves as a push through the outbox.
    std::string channel{};
    std::vector<std::string> mention; // ids to @-mention (groups)
    // Optional richer forms; channels that cannot show them fall back to `text`.
    struct article {
        std::string title, description, url, pic_url;
    };
    std::optional<article> news;
    std::optional<std::string> image_media_id;
};

} // namespace daiban::model
