// Integration: `daiban check` as an operator runs it before a deploy — the real binary, its exit
// code and what it prints. (No Redis: checking a configuration needs none.)
#include "support.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>

using namespace daiban::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A copy of the demo configuration whose tenant data lives in `dir`, so a test may break it.
std::string demo_config_in(const fs::path& dir) {
    const fs::path src = DAIBAN_SOURCE_DIR;
    fs::remove_all(dir);
    fs::create_directories(dir);
    fs::copy(src / "deploy/tenants/demo", dir / "demo", fs::copy_options::recursive);
    std::ifstream in(src / "deploy/daiban.json");
    auto cfg = json::parse(in);
    cfg["tenants"][0]["data"] = (dir / "demo").string();
    cfg["holidays_dir"] = (src / "deploy/holidays").string();
    cfg["data_dir"] = (dir / "data").string();
    const auto file = (dir / "daiban.json").string();
    std::ofstream(file) << cfg.dump(2);
    return file;
}

} // namespace

TEST_CASE("daiban check passes the shipped configuration", "[integration][cli]") {
    const auto config = demo_config_in(fs::path(var_dir()) / "check-ok");
    const auto r = run_binary("check --config " + config);
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(r.output.find("ok (1 tenant)") != std::string::npos);
}

TEST_CASE("daiban check names a menu WeChat would refuse and a key the bot does not know",
          "[integration][cli]") {
    const fs::path dir = fs::path(var_dir()) / "check-menu";
    const auto config = demo_config_in(dir);
    const auto menu = (dir / "demo/menu.json").string();
    std::ofstream(menu) << R"({"button":[{"type":"click","name":"办事指南","key":"GUIDE"},
        {"type":"click","name":"查社保","key":"SHEBAO"},
        {"type":"click","name":"这个按钮的名字实在太长了","key":"BOOK"}]})";
    auto r = run_binary("check --config " + config);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(r.output.find(menu + ": button[1].key: \"SHEBAO\" means nothing to the bot") !=
          std::string::npos);
    CHECK(r.output.find(menu + ": button[2].name:") != std::string::npos);
    CHECK(r.output.find("2 problems found") != std::string::npos);

    std::ofstream(menu) << R"({"button":[{"type":"click",)";
    r = run_binary("check --config " + config);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(r.output.find(menu + ": not valid JSON") != std::string::npos);
}
