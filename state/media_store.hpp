// state layer: received documents (photos, PDFs). The bytes live on disk under the data
// directory, content-addressed by SHA-256 (<data_dir>/<tenant>/media/<aa>/<sha256>.<ext>),
// written to a temporary file, fsynced and renamed into place so a crash never leaves half a
// file under a real name; the metadata lives in Redis (keys.hpp `media`). The same photo sent
// twice is stored once.
#pragma once

#include "state/redis/connection.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>

namespace daiban::state {

struct stored_media {
    std::string sha256; // lower-case hex: the id cases refer to
    std::string path;
    bool existed = false; // the same bytes were stored before
};

// Every call throws state::store_unavailable (state/errors.hpp) when the infrastructure fails,
// and nothing else: callers read plain values.
class media_store {
public:
    virtual ~media_store() = default;

    // `ext` is the file type already checked by the caller ("jpg", "png", "pdf"). A disk error
    // throws store_unavailable carrying the errno error code.
    virtual boost::asio::awaitable<stored_media> put(const std::string& tenant,
                                                     std::string_view bytes,
                                                     const std::string& mime,
                                                     const std::string& ext,
                                                     std::int64_t now) = 0;
};

// The store on Redis (the production one).
class redis_media_store final : public media_store {
public:
    redis_media_store(redis::connection& conn, std::string data_dir)
        : conn_(conn), data_dir_(std::move(data_dir)) {}

    boost::asio::awaitable<stored_media> put(const std::string& tenant,
                                             std::string_view bytes,
                                             const std::string& mime,
                                             const std::string& ext,
                                             std::int64_t now) override;

private:
    redis::connection& conn_;
    std::string data_dir_;
};

} // namespace daiban::state
