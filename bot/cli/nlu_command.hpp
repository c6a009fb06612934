// bot layer, CLI: `daiban nlu parse|eval|bench` (DESIGN §3).
#pragma once

namespace daiban::bot::cli {

// argv[0] is "nlu", argv[1] the subcommand. Returns the process exit code: 0 ok, 1 eval below
// --min-accuracy or a file that cannot be read, 2 usage error.
int run_nlu(int argc, char** argv);

} // namespace daiban::bot::cli
