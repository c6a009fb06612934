// model layer: names of question kinds (see conversation.hpp).
#include "model/conversation.hpp"

#include <array>

namespace daiban::model {

namespace {
constexpr std::array<std::string_view, 9> kind_names = {"service", "date",      "choice",
                                                        "confirm", "village",   "material",
                                                        "rating",  "free_text", "payment"};
} // namespace

std::string_view name_of(question_kind k) {
    return kind_names[static_cast<std::size_t>(k)];
}

std::optional<question_kind> question_kind_named(std::string_view name) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (kind_names[i] == name) return static_cast<question_kind>(i);
    return std::nullopt;
}

} // namespace daiban::model
