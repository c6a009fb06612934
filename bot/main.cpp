// bot layer: the `daiban` executable: serve | chat | check | bench | nlu | menu | media | report |
// staff.
#include "bot/cli/commands.hpp"
#include "bot/cli/nlu_command.hpp"

#include <cstring>
#include <iostream>

namespace {
constexpr const char* usage = R"(usage: daiban COMMAND [options]
  serve [--config FILE]          run the bot (default config: deploy/daiban.json)
  chat  [--url URL] [--secret S] [--tenant T] [--as ID] [--name NAME] [--group ID]
                                 chat with a running bot over the JSON hook
  check [--config FILE]          validate the config and tenant data; exit 1 on any problem
  bench [--url URL] [--secret S] [--connections C | --rate R] [--seconds S] [--conversations N]
                                 load-test the JSON hook
  nlu parse TEXT | eval FILE | bench | export DIR FILE   the language understanding, directly
  report --month YYYY-MM [--scope county|township:ID|village:ID] [--tenant T] [--csv]
                                 the month's figures against the previous month's (统计's KPIs)
  staff passwd AGENT [--tenant T] [--config FILE]
                                 set a staff member's console password (read from stdin)
  menu push --tenant T [--config FILE] [--file F] [--dry-run]   validate + publish the WeChat menu
  media get --tenant T --media-id ID [--out F] [--max-bytes N]   download a temporary medium
)";
} // namespace

int main(int argc, char** argv) {
    using namespace daiban::bot::cli;
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        std::cout << usage;
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "serve") return run_serve(argc - 1, argv + 1);
        if (cmd == "check") return run_check(argc - 1, argv + 1);
        if (cmd == "chat") return run_chat(argc - 1, argv + 1);
        if (cmd == "bench") return run_bench(argc - 1, argv + 1);
        if (cmd == "nlu") return run_nlu(argc - 1, argv + 1);
        if (cmd == "menu") return run_menu(argc - 1, argv + 1);
        if (cmd == "media") return run_media(argc - 1, argv + 1);
        if (cmd == "report") return run_report(argc - 1, argv + 1);
        if (cmd == "staff") return run_staff(argc - 1, argv + 1);
    } catch (const std::exception& e) {
        std::cerr << "daiban " << cmd << ": " << e.what() << "\n";
        return 1;
    }
    std::cerr << "daiban: unknown command '" << cmd << "'\n" << usage;
    return 2;
}
