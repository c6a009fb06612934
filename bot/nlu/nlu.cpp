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
    // Keyword stand-in until the statistical NLU lands: greetings and menu words mean help.
    handlers::intent i;
    i.normalized = std::string(text.substr(0, 4000));
    for (std::string_view w : {"你好", "您好", "菜单", "帮助", "有人吗", "在吗", "hello", "hi", "help"}) {
        if (i.normalized.find(w) != std::string::npos) {
            i.name = "help";
            i.confidence = 0.9;
            break;
        }
    }
    return i;
}

} // namespace daiban::bot::nlu
