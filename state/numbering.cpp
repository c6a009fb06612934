// state layer: read_next_number (see numbering.hpp).
#include "state/numbering.hpp"

#include "state/errors.hpp"

#include <vector>

namespace daiban::state {

boost::asio::awaitable<number_read> read_next_number(redis::connection& conn,
                                                     const std::string& source_key,
                                                     const std::string& seq_key) {
    std::vector<redis::command> reads;
    reads.push_back({"GET", source_key});
    reads.push_back({"GET", seq_key});
    auto got = co_await conn.exec_many(std::move(reads));
    throw_if_failed(got);
    const auto& opened = (*got)[0];
    const auto& seq = (*got)[1];
    if (opened.is_error() || seq.is_error()) throw_unavailable(errc::redis_error_reply);
    number_read out;
    if (!opened.is_nil()) out.opened = redis::to_int(opened.str);
    out.next = redis::to_int(seq.str) + 1;
    co_return out;
}

} // namespace daiban::state
