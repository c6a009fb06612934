// bot layer, outbound: validate_menu (see menu.hpp).
#include "bot/outbound/menu.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace daiban::bot::outbound {

using nlohmann::json;

namespace {

const std::set<std::string> key_types{"click",          "scancode_push",      "scancode_waitmsg",
                                      "pic_sysphoto",   "pic_photo_or_album", "pic_weixin",
                                      "location_select"};
const std::set<std::string> other_types{"view",         "miniprogram", "media_id",
                                        "view_limited", "article_id",  "article_view_limited"};

void check_button(const json& b,
                  const std::string& path,
                  std::size_t name_limit,
                  std::set<std::string>& keys,
                  const std::vector<std::string_view>& click_keys,
                  std::vector<std::string>& out) {
    if (!b.is_object()) return out.push_back(path + ": must be an object");
    const std::string name = b.value("name", "");
    if (name.empty())
        out.push_back(path + ".name: is required");
    else if (name.size() > name_limit)
        out.push_back(path + ".name: \"" + name + "\" is " + std::to_string(name.size()) +
                      " bytes, at most " + std::to_string(name_limit) + " (WeChat 40018)");
    const std::string type = b.value("type", "");
    if (key_types.contains(type)) {
        const std::string key = b.value("key", "");
        if (key.empty())
            out.push_back(path + ".key: is required for type " + type);
        else if (key.size() > 128)
            out.push_back(path + ".key: " + std::to_string(key.size()) +
                          " bytes, at most 128 (WeChat 40019)");
        else if (!keys.insert(key).second)
            out.push_back(path + ".key: \"" + key + "\" is used twice");
        else if (type == "click" && !click_keys.empty() &&
                 std::find(click_keys.begin(), click_keys.end(), key) == click_keys.end()) {
            std::string known;
            for (const auto k : click_keys)
                known += (known.empty() ? "" : ", ") + std::string(k);
            out.push_back(path + ".key: \"" + key + "\" means nothing to the bot; use one of " +
                          known);
        }
    } else if (type == "view" || type == "miniprogram") {
        const std::string url = b.value("url", "");
        if (url.empty())
            out.push_back(path + ".url: is required for type " + type);
        else if (url.size() > 1024)
            out.push_back(path + ".url: at most 1024 bytes (WeChat 40020)");
    } else if (!other_types.contains(type)) {
        out.push_back(path + ".type: \"" + type + "\" is not a WeChat menu button type");
    }
}

} // namespace

std::vector<std::string> validate_menu(const json& menu,
                                       const std::vector<std::string_view>& click_keys) {
    std::vector<std::string> out;
    if (!menu.is_object() || !menu.contains("button") || !menu["button"].is_array()) {
        out.push_back("the menu must be a JSON object {\"button\": [...]}");
        return out;
    }
    const auto& top = menu["button"];
    if (top.empty() || top.size() > 3)
        out.push_back("button: " + std::to_string(top.size()) +
                      " top-level buttons, WeChat allows 1 to 3 (40016)");
    std::set<std::string> keys;
    for (std::size_t i = 0; i < top.size(); ++i) {
        const std::string path = "button[" + std::to_string(i) + "]";
        const auto& b = top[i];
        if (b.is_object() && b.contains("sub_button")) {
            const auto& subs = b["sub_button"];
            const std::string name = b.value("name", "");
            if (name.empty())
                out.push_back(path + ".name: is required");
            else if (name.size() > 16)
                out.push_back(path + ".name: \"" + name + "\" is " + std::to_string(name.size()) +
                              " bytes, at most 16 (WeChat 40018)");
            if (b.contains("type")) out.push_back(path + ": a button with sub_button has no type");
            if (!subs.is_array() || subs.empty() || subs.size() > 5) {
                out.push_back(path + ".sub_button: 1 to 5 buttons (WeChat 40023)");
                continue;
            }
            for (std::size_t k = 0; k < subs.size(); ++k)
                check_button(subs[k], path + ".sub_button[" + std::to_string(k) + "]", 60, keys,
                             click_keys, out);
        } else {
            check_button(b, path, 16, keys, click_keys, out);
        }
    }
    return out;
}

std::vector<std::string> validate_menu_file(const std::string& file,
                                            const std::vector<std::string_view>& click_keys) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {"cannot be read"};
    std::stringstream buf;
    buf << in.rdbuf();
    try {
        return validate_menu(json::parse(buf.str()), click_keys);
    } catch (const json::parse_error& e) {
        return {std::string("not valid JSON: ") + e.what()};
    }
}

} // namespace daiban::bot::outbound
