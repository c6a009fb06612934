// bot layer, dialogue: the dispatcher the channels use (see dispatcher.hpp for the contract).
#pragma once

#include "bot/dialogue/dispatcher.hpp"
#include "bot/dialogue/turn_order.hpp"
#include "bot/shards.hpp"
#include "bot/tenants.hpp"
#include "handlers/clock.hpp"
#include "handlers/context.hpp"
#include "handlers/stores.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace daiban::state {
class conversation_store;
struct turn_claim;
} // namespace daiban::state

namespace daiban::bot::dialogue {

// Runs a turn's handler (handlers::run) the way the dispatcher does. Whatever the handler throws
// (a store failing: state::store_unavailable; or a bug) is logged and what it had said so far is
// dropped: a person hears "handler_failed" (稍后再试) instead; a timer turn says nothing and the
// result is false, so the firing is retried. True when the handler finished.
boost::asio::awaitable<bool> run_handler(handlers::context& ctx, bool timer_turn);

class turn_dispatcher final : public dispatcher {
public:
    // The bot's one clock (handlers/clock.hpp); tests and the timer worker share it.
    // `data_dir`: where handlers keep received documents (config data_dir). `owner`: this
    // process's token (owner_lease), written into every turn claim. `console_url`: where staff
    // reach the console (config console.public_url), for the sign-in links of 后台. `redis`:
    // the shards' Redis settings, for the connections that wait for a conversation's turn.
    turn_dispatcher(shard_set& shards,
                    const tenant_registry& tenants,
                    const handlers::clock& clock,
                    std::string data_dir,
                    std::string owner,
                    state::redis::config redis,
                    std::string console_url = {});

    boost::asio::awaitable<boost::system::result<turn_outcome>> submit(model::turn t) override;

private:
    boost::asio::awaitable<boost::system::result<turn_outcome>> run(shard& sh, model::turn t);
    // The turn itself, its message claimed and its ticket served (the fencing token its record
    // carries; ticket_passed: the record passed it on).
    boost::asio::awaitable<boost::system::result<turn_outcome>>
    run_turn(shard& sh,
             model::turn& t,
             const std::string& conv_key,
             state::conversation_store& store,
             state::turn_claim& claim,
             bool& ticket_passed);

    shard_set& shards_;
    const tenant_registry& tenants_;
    const handlers::clock& clock_;
    std::string owner_;
    std::string console_url_;
    turn_order order_;
    // Each shard's stores, on that shard's Redis connection (index = shard index).
    std::vector<std::unique_ptr<handlers::redis_stores>> stores_;
};

} // namespace daiban::bot::dialogue
