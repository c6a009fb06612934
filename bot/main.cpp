// bot layer: the `daiban` executable (placeholder dispatch until the full CLI lands).
#include "bot/cli/nlu_command.hpp"

#include <string_view>

int main(int argc, char** argv) {
    if (argc >= 2 && std::string_view(argv[1]) == "nlu")
        return daiban::bot::cli::run_nlu(argc - 1, argv + 1);
    return 0;
}
