// bot layer, outbound: the error category (see errors.hpp).
#include "bot/outbound/errors.hpp"

#include <string>

namespace daiban::bot::outbound {

namespace {
class category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "daiban.outbound"; }
    std::string message(int ev) const override {
        switch (static_cast<outbound_errc>(ev)) {
        case outbound_errc::not_configured:
            return "the tenant's channel is not configured for this";
        case outbound_errc::token_unavailable:
            return "no access token available";
        case outbound_errc::bad_reply:
            return "the platform's reply is not valid JSON";
        case outbound_errc::too_large:
            return "the response is larger than allowed";
        case outbound_errc::platform_error:
            return "the platform returned an error code";
        }
        return "unknown outbound error";
    }
};
} // namespace

const boost::system::error_category& outbound_category() {
    static const category_impl c;
    return c;
}

} // namespace daiban::bot::outbound
