// state layer, in memory: media_store without disk or Redis, for handler unit tests. The bytes
// are kept in memory, content-addressed by SHA-256 as the Redis store does; `existed` is true
// when the same bytes were stored before under the same file type (the Redis store finds the
// file <sha256>.<ext> already there), and `path` names where the Redis store would have put it,
// under "memory:". find() lets a test look at what was stored.
#pragma once

#include "state/media_store.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace daiban::state {

class memory_media_store final : public media_store {
public:
    struct stored_file {
        std::string bytes;
        std::string mime;            // as given by the latest put (the Redis hash is rewritten)
        std::int64_t stored_at = 0;  // likewise
        std::set<std::string> types; // the extensions it was stored under
    };

    boost::asio::awaitable<stored_media> put(const std::string& tenant,
                                             std::string_view bytes,
                                             const std::string& mime,
                                             const std::string& ext,
                                             std::int64_t now) override;

    // The file stored under this id (lower-case hex SHA-256), if any.
    const stored_file* find(const std::string& tenant, const std::string& sha256) const;

private:
    std::map<std::pair<std::string, std::string>, stored_file> files_; // (tenant, sha256)
};

} // namespace daiban::state
