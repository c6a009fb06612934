// bot layer, NLU: placeholder engine until the NLU lands (always `unknown`).
#include "bot/nlu/nlu.hpp"

namespace daiban::bot::nlu {

struct engine::impl {
    std::shared_ptr<const handlers::tenant_data> data;
};

engine::engine(std::shared_ptr<const handlers::tenant_data> data)
    : impl_(std::make_unique<impl>(impl{std::move(data)})) {}
engine::~engine() = default;

handlers::intent engine::parse(std::string_view text, reference_time, const handlers::pending_question*) const {
    handlers::intent i;
    i.normalized = std::string(text);
    return i;
}

} // namespace daiban::bot::nlu
