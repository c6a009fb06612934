// bot layer, CLI: `daiban staff passwd AGENT [--tenant T] [--config FILE]` — sets the console
// password of an org.json agent. The password is read from stdin (asked twice, without echo, on
// a terminal; one line from a pipe), hashed with Argon2id (bot/console/passwords) and stored in
// the deployment's Redis; the plain password is never written anywhere.
#include "bot/cli/commands.hpp"
#include "bot/cli/deployment.hpp"
#include "bot/config.hpp"
#include "bot/console/passwords.hpp"
#include "model/tenant_data.hpp"
#include "state/console_store.hpp"
#include "state/redis/connection.hpp"

#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace daiban::bot::cli {

namespace {

namespace asio = boost::asio;

void usage() {
    std::cerr << "usage: daiban staff passwd AGENT [--tenant ID] [--config FILE]\n"
                 "       (AGENT is an agent id of the tenant's org.json, e.g. a_fk_sup; the\n"
                 "        password is read from stdin)\n";
}

// One line from stdin; on a terminal, without echo.
std::string read_secret(const char* prompt) {
    const bool tty = isatty(STDIN_FILENO);
    termios old{};
    if (tty) {
        std::cerr << prompt << std::flush;
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    std::getline(std::cin, line);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::cerr << "\n";
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
}

} // namespace

int run_staff(int argc, char** argv) {
    if (argc < 3 || std::string(argv[1]) != "passwd") return usage(), 2;
    const std::string agent_id = argv[2];
    std::string tenant_id, config_file = "deploy/daiban.json";
    for (int i = 3; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--tenant")
            tenant_id = next();
        else if (a == "--config")
            config_file = next();
        else {
            std::cerr << "staff: unknown option " << a << "\n";
            return usage(), 2;
        }
    }
    const auto cfg = load_config_or_report(config_file);
    if (!cfg) return 1;
    const auto tenant = load_tenant_or_report(*cfg, config_file, tenant_id);
    if (!tenant) return 1;
    const model::agent* agent = tenant->data->org_.find_agent(agent_id);
    if (!agent) {
        std::cerr << tenant->cfg->data_dir << "/org.json: no agent '" << agent_id
                  << "' (agents[].id, e.g. "
                  << (tenant->data->org_.agents.empty() ? "a_fk_sup"
                                                        : tenant->data->org_.agents.front().id)
                  << ")\n";
        return 1;
    }
    const std::string password = read_secret("New password: ");
    if (const auto problem = console::password_problem(password); !problem.empty()) {
        std::cerr << "staff: password refused: " << problem << "\n";
        return 1;
    }
    if (isatty(STDIN_FILENO) && read_secret("Again: ") != password) {
        std::cerr << "staff: the two passwords differ; nothing changed\n";
        return 1;
    }
    const auto hash = console::hash_password(password);
    if (!hash) {
        std::cerr << "staff: not enough memory to hash the password\n";
        return 1;
    }

    return with_redis(
        cfg->redis,
        [&](asio::any_io_executor, state::redis::connection& redis) -> asio::awaitable<int> {
            state::redis_console_store store(redis);
            try {
                co_await store.set_password(tenant->cfg->id, agent_id, *hash);
                std::cout << "staff: password set for " << agent_id << " (" << agent->name
                          << ") of tenant " << tenant->cfg->id << "\n";
                co_return 0;
            } catch (const std::exception& e) {
                std::cerr << "staff: cannot store the password in Redis at " << cfg->redis << ": "
                          << e.what() << "\n";
            }
            co_return 1;
        });
}

} // namespace daiban::bot::cli
