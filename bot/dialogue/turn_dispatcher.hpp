// bot layer, dialogue: the dispatcher the channels use (see dispatcher.hpp for the contract).
#pragma once

#include "bot/dialogue/dispatcher.hpp"
#include "bot/shards.hpp"
#include "bot/tenants.hpp"
#include "handlers/clock.hpp"

#include <functional>

namespace daiban::bot::dialogue {

class turn_dispatcher final : public dispatcher {
public:
    // The bot's one clock (handlers/clock.hpp); tests and the timer worker share it.
    turn_dispatcher(shard_set& shards,
                    const tenant_registry& tenants,
                    const handlers::clock& clock);

    boost::asio::awaitable<boost::system::result<turn_outcome>> submit(handlers::turn t) override;
    // Where handlers store received documents (config data_dir).
    void set_data_dir(std::string dir) { data_dir_ = std::move(dir); }

private:
    boost::asio::awaitable<boost::system::result<turn_outcome>> run(shard& sh, handlers::turn t);

    shard_set& shards_;
    const tenant_registry& tenants_;
    const handlers::clock& clock_;
    std::string data_dir_;
};

// A custom-menu CLICK key (deploy/tenants/<t>/menu.json) and what it means: the phrase a
// resident would type for it and the intent it stands for. A click then runs exactly the handler
// the typed phrase runs. nullptr for an unknown key.
struct menu_action {
    std::string_view key;
    std::string_view phrase;
    std::string_view intent;
};
const menu_action* find_menu_action(std::string_view key);
// Every CLICK key the bot knows, for checking a menu before it is pushed.
std::vector<std::string_view> menu_action_keys();
// The action whose label is exactly `text` (surrounding spaces ignored), if any.
const menu_action* find_menu_phrase(std::string_view text);

// Replies as stored for retries and sent over the JSON hook:
// [{"chat":{...},"text":..,"mention":[..]}], plus "channel" when a handler chose one
// (handlers::reply::channel).
std::string encode_replies(const std::vector<handlers::reply>& replies);
std::vector<handlers::reply> decode_replies(std::string_view json);

} // namespace daiban::bot::dialogue
