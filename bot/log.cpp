// bot layer: logging (see log.hpp).
#include "bot/log.hpp"

#include "common/personal_details.hpp"

#include <atomic>
#include <chrono>
#include <ctime>
#include <unistd.h>

namespace daiban::bot::log {

namespace {
// One write(2) per line, at once, never buffered in the process: a line handed to the kernel
// survives the process being killed (kill -9, OOM killer), so the log of a crashed bot still
// shows every request it answered. (Lines were batched per shard for up to 100 ms before; a kill
// lost them all in about half of the lifetimes measured, issue 17.) A whole line per write: writes
// of a few KiB are atomic for files and pipes, so lines from different threads never interleave.
void write_all(std::string_view data) {
    for (std::size_t off = 0; off < data.size();) {
        const auto w = ::write(2, data.data() + off, data.size() - off);
        if (w <= 0) break;
        off += static_cast<std::size_t>(w);
    }
}
std::atomic<int> current{static_cast<int>(level::info)};
constexpr std::string_view names[] = {"debug", "info", "warn", "error"};
} // namespace

void set_level(level l) {
    current.store(static_cast<int>(l), std::memory_order_relaxed);
}
bool enabled(level l) {
    return static_cast<int>(l) >= current.load(std::memory_order_relaxed);
}

bool parse_level(std::string_view text, level& out) {
    for (int i = 0; i < 4; ++i)
        if (names[i] == text) {
            out = static_cast<level>(i);
            return true;
        }
    return false;
}

void write(level l, std::string_view message, bool as_info) {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t t = system_clock::to_time_t(now);
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[40];
    const auto n = std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    std::string line;
    line.reserve(message.size() + 48);
    line.append(stamp, n);
    line.push_back('.');
    line.push_back(static_cast<char>('0' + ms / 100));
    line.push_back(static_cast<char>('0' + ms / 10 % 10));
    line.push_back(static_cast<char>('0' + ms % 10));
    line.append("Z level=").append(as_info ? "info" : names[static_cast<int>(l)]).push_back(' ');
    line.append(mask_personal(message)).push_back('\n');
    write_all(line);
}

std::string mask_personal(std::string_view text) {
    return personal::mask(text);
}

} // namespace daiban::bot::log
