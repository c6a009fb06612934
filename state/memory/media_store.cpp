// state layer, in memory: memory_media_store (see media_store.hpp).
#include "state/memory/media_store.hpp"

#include "common/sha256.hpp"

namespace daiban::state {

namespace asio = boost::asio;

asio::awaitable<stored_media> memory_media_store::put(const std::string& tenant,
                                                      std::string_view bytes,
                                                      const std::string& mime,
                                                      const std::string& ext,
                                                      std::int64_t now) {
    stored_media out;
    out.sha256 = sha256_hex(bytes);
    out.path =
        "memory:" + tenant + "/media/" + out.sha256.substr(0, 2) + "/" + out.sha256 + "." + ext;
    auto& f = files_[{tenant, out.sha256}];
    out.existed = !f.types.insert(ext).second;
    if (!out.existed) f.bytes.assign(bytes);
    f.mime = mime;
    f.stored_at = now;
    co_return out;
}

const memory_media_store::stored_file* memory_media_store::find(const std::string& tenant,
                                                                const std::string& sha256) const {
    auto it = files_.find({tenant, sha256});
    return it == files_.end() ? nullptr : &it->second;
}

} // namespace daiban::state
