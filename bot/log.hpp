// bot layer: logging. One line per event, "key=value" fields; lines are written whole so lines
// from different threads never interleave, and at once (no buffering in the process: a line
// written survives kill -9). ID-card and phone numbers are masked.
#pragma once

#include <string>
#include <string_view>

namespace daiban::bot::log {

enum class level { debug, info, warn, error };

void set_level(level l);
bool enabled(level l);
// "debug" | "info" | "warn" | "error"; false if unknown.
bool parse_level(std::string_view text, level& out);

// `as_info` writes the line with level=info whatever `l` (used by audit()).
void write(level l, std::string_view message, bool as_info = false);
inline void debug(std::string_view m) {
    if (enabled(level::debug)) write(level::debug, m);
}
inline void info(std::string_view m) {
    if (enabled(level::info)) write(level::info, m);
}
// An info line whatever the level: audit lines (a push accepted, a timer fired) that an
// operator or a test looks for.
inline void audit(std::string_view m) {
    if (enabled(level::info)) write(level::warn, m, true);
}
inline void warn(std::string_view m) {
    write(level::warn, m);
}
inline void error(std::string_view m) {
    write(level::error, m);
}

// Replaces 18-digit ID-card numbers and 11-digit mobile numbers by a masked form
// (110101********1234, 138****5678), so personal data never reaches the logs.
std::string mask_personal(std::string_view text);

} // namespace daiban::bot::log
