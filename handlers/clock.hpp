// handlers layer: the one clock of the bot. The dispatcher, the timer worker and the handlers read
// time only through it, and stores take the instant as an argument, so tests move time instead of
// sleeping. A movable clock (test_clock) exists only in builds with DAIBAN_TEST_HOOKS (the `dev`
// preset); a release build has no way to change the bot's time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace daiban::handlers {

class clock {
public:
    virtual ~clock() = default;
    // Unix time in milliseconds.
    virtual std::int64_t now_ms() const = 0;
    // Unix time in seconds.
    std::int64_t now() const { return now_ms() / 1000; }
};

// The wall clock.
class system_clock final : public clock {
public:
    std::int64_t now_ms() const override {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

#ifdef DAIBAN_TEST_HOOKS
// The wall clock shifted by an offset that tests set ("it is now 2026-12-24 17:59") or move ("two
// hours later"). It keeps ticking at the wall clock's pace, so timeouts still behave. Safe to read
// and move from any thread.
class test_clock final : public clock {
public:
    std::int64_t now_ms() const override { return wall_.now_ms() + offset_ms_.load(); }
    void set_ms(std::int64_t unix_ms) { offset_ms_.store(unix_ms - wall_.now_ms()); }
    void advance_ms(std::int64_t ms) { offset_ms_.fetch_add(ms); }

private:
    system_clock wall_;
    std::atomic<std::int64_t> offset_ms_{0};
};
#endif

} // namespace daiban::handlers
