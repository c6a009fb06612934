// state layer: faq_store (see faq_store.hpp).
#include "state/faq_store.hpp"

#include "state/errors.hpp"
#include "state/keys.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>

namespace daiban::state {

namespace asio = boost::asio;

std::string encode_learned(const learned_answer& a) {
    return nlohmann::json{
        {"question", a.question}, {"answer", a.answer}, {"by", a.by}, {"at", a.at}}
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool decode_learned(std::int64_t ticket, const std::string& text, learned_answer& out) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || !j.contains("question") || !j["question"].is_string() ||
        !j.contains("answer") || !j["answer"].is_string())
        return false;
    out.ticket = ticket;
    out.question = j["question"].get<std::string>();
    out.answer = j["answer"].get<std::string>();
    out.by = j.value("by", std::string());
    out.at = j.value("at", std::int64_t{0});
    return true;
}

asio::awaitable<void> redis_faq_store::learn(const std::string& tenant, const learned_answer& a) {
    redis::command cmd{"HSET", keys::faq_learned(tenant), std::to_string(a.ticket),
                       encode_learned(a)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (r->is_error()) throw_unavailable(errc::redis_error_reply);
}

asio::awaitable<std::vector<learned_answer>> redis_faq_store::learned(const std::string& tenant) {
    redis::command cmd{"HGETALL", keys::faq_learned(tenant)};
    auto r = co_await conn_.exec(std::move(cmd));
    throw_if_failed(r);
    if (r->is_error() || !r->is_array()) throw_unavailable(errc::unexpected_reply);
    std::vector<learned_answer> out;
    for (std::size_t i = 0; i + 1 < r->elements.size(); i += 2) {
        const auto& k = r->elements[i].str;
        std::int64_t n = 0;
        std::from_chars(k.data(), k.data() + k.size(), n);
        learned_answer a;
        if (n > 0 && decode_learned(n, r->elements[i + 1].str, a)) out.push_back(std::move(a));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.ticket < y.ticket; });
    co_return out;
}

} // namespace daiban::state
