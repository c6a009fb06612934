// bot layer, dialogue: the dispatcher the channels use (see dispatcher.hpp for the contract).
#pragma once

#include "bot/dialogue/dispatcher.hpp"
#include "bot/shards.hpp"
#include "bot/tenants.hpp"
#include "handlers/clock.hpp"
#include "handlers/stores.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace daiban::bot::dialogue {

class turn_dispatcher final : public dispatcher {
public:
    // The bot's one clock (handlers/clock.hpp); tests and the timer worker share it.
    // `data_dir`: where handlers keep received documents (config data_dir). `owner`: this
    // process's token (owner_lease), written into every turn claim.
    turn_dispatcher(shard_set& shards,
                    const tenant_registry& tenants,
                    const handlers::clock& clock,
                    std::string data_dir,
                    std::string owner);

    boost::asio::awaitable<boost::system::result<turn_outcome>> submit(model::turn t) override;

private:
    boost::asio::awaitable<boost::system::result<turn_outcome>> run(shard& sh, model::turn t);

    shard_set& shards_;
    const tenant_registry& tenants_;
    const handlers::clock& clock_;
    std::string owner_;
    // Each shard's stores, on that shard's Redis connection (index = shard index).
    std::vector<std::unique_ptr<handlers::redis_stores>> stores_;
};

} // namespace daiban::bot::dialogue
