// bot layer, outbound: WeChat custom-menu validation (wechat_protocol.md §6), so `daiban menu
// push` refuses a menu the platform would refuse, naming the button and the limit.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace daiban::bot::outbound {

// One sentence per problem ("button[1].sub_button[0].name: 66 bytes, at most 60"); empty = valid.
// With `click_keys` (the keys the bot acts on), a CLICK button with any other key is a problem
// too: WeChat would accept it and the resident's tap would do nothing useful.
std::vector<std::string> validate_menu(const nlohmann::json& menu,
                                       const std::vector<std::string_view>& click_keys = {});

// Reads and validates a menu file; problems are prefixed with nothing (the caller names the file).
std::vector<std::string> validate_menu_file(const std::string& file,
                                            const std::vector<std::string_view>& click_keys);

} // namespace daiban::bot::outbound
