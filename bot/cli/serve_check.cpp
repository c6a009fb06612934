// bot layer, cli: `daiban serve` and `daiban check`.
#include "bot/app.hpp"
#include "bot/cli/commands.hpp"
#include "bot/config.hpp"
#include "bot/outbound/menu.hpp"
#include "model/intents.hpp"

#include <cstring>
#include <filesystem>
#include <iostream>

namespace daiban::bot::cli {

namespace {
bool config_path(int argc, char** argv, std::string& path, const char* usage) {
    path = "deploy/daiban.json";
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--config") == 0 && i + 1 < argc)
            path = argv[++i];
        else {
            std::cerr << "unknown argument '" << argv[i] << "'\nusage: " << usage << "\n";
            return false;
        }
    }
    return true;
}
} // namespace

int run_serve(int argc, char** argv) {
    std::string path;
    if (!config_path(argc, argv, path, "daiban serve [--config FILE]")) return 2;
    std::vector<config_problem> problems;
    auto cfg = load_config(path, problems);
    if (!cfg) {
        for (const auto& p : problems)
            std::cerr << p.file << (p.path.empty() ? "" : ": " + p.path) << ": " << p.message
                      << "\n";
        std::cerr << "daiban: not started; `daiban check --config " << path
                  << "` lists every problem\n";
        return 1;
    }
    return run_server(*cfg);
}

int run_check(int argc, char** argv) {
    std::string path;
    if (!config_path(argc, argv, path, "daiban check [--config FILE]")) return 2;
    std::vector<config_problem> problems;
    auto cfg = load_config(path, problems);
    std::size_t count = problems.size();
    for (const auto& p : problems)
        std::cout << p.file << (p.path.empty() ? "" : ": " + p.path) << ": " << p.message << "\n";
    if (cfg) {
        for (const auto& t : cfg->tenants) {
            if (t.data_dir.empty()) continue;
            std::vector<model::data_problem> data_problems;
            model::load_tenant_data(t.data_dir, data_problems);
            for (const auto& p : data_problems)
                std::cout << p.file << (p.path.empty() ? "" : ": " + p.path) << ": " << p.message
                          << "\n";
            count += data_problems.size();
            // The custom menu is optional; when present it must be one WeChat accepts and whose
            // CLICK keys the bot understands (what `daiban menu push` would refuse).
            const std::string menu = t.data_dir + "/menu.json";
            if (std::filesystem::exists(menu)) {
                const auto menu_problems = outbound::validate_menu_file(menu, model::menu_keys());
                for (const auto& p : menu_problems)
                    std::cout << menu << ": " << p << "\n";
                count += menu_problems.size();
            }
        }
    }
    if (count == 0) {
        std::cout << path << ": ok (" << cfg->tenants.size() << " tenant"
                  << (cfg->tenants.size() == 1 ? "" : "s") << ")\n";
        return 0;
    }
    std::cout << count << " problem" << (count == 1 ? "" : "s") << " found\n";
    return 1;
}

} // namespace daiban::bot::cli
