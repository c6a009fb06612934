// state layer: the error category of state::errc.
#include "state/errors.hpp"

#include <string>

namespace daiban::state {

namespace {
class category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "daiban.state"; }
    std::string message(int ev) const override {
        switch (static_cast<errc>(ev)) {
        case errc::redis_unavailable:
            return "Redis is unavailable (reconnecting)";
        case errc::redis_timeout:
            return "Redis did not answer in time";
        case errc::redis_protocol:
            return "Redis sent a malformed reply";
        case errc::redis_error_reply:
            return "Redis answered with an error";
        case errc::redis_shutting_down:
            return "the Redis client is shutting down";
        case errc::unexpected_reply:
            return "Redis answered with an unexpected reply type";
        case errc::redis_not_replicated:
            return "Redis could not confirm the write on enough replicas in time";
        case errc::turn_fenced:
            return "the turn ran past its place in the conversation's queue; nothing recorded";
        }
        return "unknown state error";
    }
};
} // namespace

const boost::system::error_category& category() {
    static const category_impl instance;
    return instance;
}

void throw_unavailable(boost::system::error_code ec) {
    throw store_unavailable(ec);
}

} // namespace daiban::state
