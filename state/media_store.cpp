// state layer: media_store (see media_store.hpp).
#include "state/media_store.hpp"

#include "common/sha256.hpp"
#include "state/keys.hpp"

#include <openssl/sha.h>

#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace daiban::state {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

boost::system::error_code last_errno() {
    return {errno, boost::system::system_category()};
}

// Writes `bytes` to `path` durably: temp file in the same directory, fsync, rename, fsync dir.
boost::system::error_code write_durably(const fs::path& path, std::string_view bytes) {
    static std::atomic<unsigned> counter{0};
    const fs::path tmp = path.string() + ".tmp." + std::to_string(getpid()) + "." +
                         std::to_string(counter.fetch_add(1));
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) return last_errno();
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            auto ec = last_errno();
            ::close(fd);
            ::unlink(tmp.c_str());
            return ec;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        auto ec = last_errno();
        ::unlink(tmp.c_str());
        return ec;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        auto ec = last_errno();
        ::unlink(tmp.c_str());
        return ec;
    }
    if (const int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

} // namespace

asio::awaitable<stored_media> redis_media_store::put(const std::string& tenant,
                                                     std::string_view bytes,
                                                     const std::string& mime,
                                                     const std::string& ext,
                                                     std::int64_t now) {
    stored_media out;
    out.sha256 = sha256_hex(bytes);
    const fs::path dir = fs::path(data_dir_) / tenant / "media" / out.sha256.substr(0, 2);
    const fs::path path = dir / (out.sha256 + "." + ext);
    out.path = path.string();
    std::error_code fec;
    fs::create_directories(dir, fec);
    if (fec)
        throw_unavailable(boost::system::error_code(fec.value(), boost::system::system_category()));
    if (fs::exists(path, fec) && fs::file_size(path, fec) == bytes.size()) {
        out.existed = true;
    } else if (auto ec = write_durably(path, bytes)) {
        throw_unavailable(ec);
    }
    redis::command cmd{"HSET",      keys::media(tenant, out.sha256),
                       "size",      std::to_string(bytes.size()),
                       "mime",      mime,
                       "path",      out.path,
                       "stored_at", std::to_string(now)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    co_return out;
}

} // namespace daiban::state
