// Integration: the request log survives the process being killed (issue 17). Every request the
// bot answered has its line in the log file even when the process is killed with SIGKILL right
// after — no batching in the process to lose (bot/log.cpp writes each line at once).
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace daiban::test;

TEST_CASE("every answered request has its log line after a kill -9", "[integration][log]") {
    constexpr int n = 20;
    for (int round = 0; round < 3; ++round) {
        bot_process bot(fixture_redis());
        const std::string user = "u_killlog_" + std::to_string(now_s()) + "_" +
                                 std::to_string(getpid()) + "_" + std::to_string(round);
        {
            daiban::bot::http::client c(bot.url());
            for (int i = 0; i < n; ++i) {
                const auto res =
                    post_hook(c, text_message("kl-" + std::to_string(i), user, "你好").dump());
                REQUIRE(res.status == 200);
            }
        }
        // At once: no time for any flush.
        REQUIRE(bot.stop(SIGKILL) == 128 + SIGKILL);

        std::ifstream in(bot.log_file());
        std::string line;
        int logged = 0;
        while (std::getline(in, line)) {
            // The file is appended to: count this process's lines only.
            if (line.find("event=started") != std::string::npos) logged = 0;
            if (line.find("event=request method=POST route=/hook/{tenant} status=200") !=
                std::string::npos)
                ++logged;
        }
        CHECK(logged == n);
    }
}
