// bot layer, cli: the `daiban` subcommands. Each takes argv starting at its own name and returns
// the process exit code (0 ok, 1 failure, 2 usage error).
#pragma once

namespace daiban::bot::cli {

int run_serve(int argc, char** argv);
int run_check(int argc, char** argv);
int run_chat(int argc, char** argv);
int run_bench(int argc, char** argv);
int run_menu(int argc, char** argv);
int run_media(int argc, char** argv);
int run_report(int argc, char** argv);
int run_staff(int argc, char** argv);

} // namespace daiban::bot::cli
