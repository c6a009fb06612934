// bot layer, replies: how replies are written down — in the JSON hook's response, in the
// outbox's entries, in a hook callback, and kept for a platform's retry:
// [{"chat":{"type":"group"|"private","id":..},"text":..,"mention":[..]}], plus "news",
// "image_media_id", and "channel" when a handler chose one (model::reply::channel).
#pragma once

#include "model/turn.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace daiban::bot::replies {

// Written directly (bot/json_text.hpp): this runs for every message.
std::string encode_replies(const std::vector<model::reply>& replies);
// One reply as a JSON object (the element encode_replies writes).
std::string encode_reply(const model::reply& reply);
// Reads what encode_replies wrote; elements that are not objects are skipped.
std::vector<model::reply> decode_replies(std::string_view json);
// One reply from its JSON object; nullopt when `j` is not an object.
std::optional<model::reply> reply_from_json(const nlohmann::json& j);

} // namespace daiban::bot::replies
