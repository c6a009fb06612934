// handlers layer: keeping a photo or file a person sent — downloaded if the turn only refers to
// it (a WeChat MediaId), checked for size and type by its first bytes, stored content-addressed
// (state/media_store). Materials and emergencies both keep files this way; each says what the
// file is for.
#pragma once

#include "handlers/context.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace daiban::handlers {

// The stored file's sha256 id; nullopt when it could not be kept, after telling the sender why
// (could not download, too large, not a photo or PDF, disk full).
boost::asio::awaitable<std::optional<std::string>> keep_received_file(context& ctx);

} // namespace daiban::handlers
