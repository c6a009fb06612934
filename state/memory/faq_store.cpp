// state layer, in memory: memory_faq_store (see faq_store.hpp).
#include "state/memory/faq_store.hpp"

namespace daiban::state {

namespace asio = boost::asio;

asio::awaitable<void> memory_faq_store::learn(const std::string& tenant, const learned_answer& a) {
    entries_[tenant][a.ticket] = encode_learned(a);
    co_return;
}

asio::awaitable<std::vector<learned_answer>> memory_faq_store::learned(const std::string& tenant) {
    std::vector<learned_answer> out;
    for (const auto& [n, text] : entries_[tenant]) {
        learned_answer a;
        if (decode_learned(n, text, a)) out.push_back(std::move(a));
    }
    co_return out;
}

} // namespace daiban::state
