// bot layer, outbound: WeChat custom-menu validation (wechat_protocol.md §6), so `daiban menu
// push` refuses a menu the platform would refuse, naming the button and the limit.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace daiban::bot::outbound {

// One sentence per problem ("button[1].sub_button[0].name: 66 bytes, at most 60"); empty = valid.
std::vector<std::string> validate_menu(const nlohmann::json& menu);

} // namespace daiban::bot::outbound
