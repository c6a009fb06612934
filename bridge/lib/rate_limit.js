// How fast a personal WeChat account may speak. WeChat publishes no numbers for personal
// accounts; it flags accounts that post in bursts ("操作过于频繁", then muting or a ban). The
// defaults keep well under what bot operators report as safe: at most `per_chat` messages to one
// room or contact and `per_account` in all within any `window_ms` (rolling), and `min_gap_ms`
// between any two. Nothing is dropped: the sender waits for `wait()` and says the next message then.
'use strict';

class RateLimiter {
  constructor({ per_chat = 15, per_account = 40, window_ms = 60000, min_gap_ms = 1500 } = {}) {
    this.perChat = per_chat;
    this.perAccount = per_account;
    this.windowMs = window_ms;
    this.minGapMs = min_gap_ms;
    this.byChat = new Map(); // chat → send times (ms), oldest first
    this.all = [];
  }

  prune(list, now) {
    while (list.length && list[0] <= now - this.windowMs) list.shift();
  }

  // Milliseconds until `chat` may be spoken to (0: now).
  wait(chat, now) {
    const mine = this.byChat.get(chat) || [];
    this.prune(mine, now);
    this.prune(this.all, now);
    let at = now;
    if (mine.length >= this.perChat) at = Math.max(at, mine[mine.length - this.perChat] + this.windowMs);
    if (this.all.length >= this.perAccount) at = Math.max(at, this.all[this.all.length - this.perAccount] + this.windowMs);
    if (this.all.length) at = Math.max(at, this.all[this.all.length - 1] + this.minGapMs);
    return at - now;
  }

  record(chat, now) {
    if (!this.byChat.has(chat)) this.byChat.set(chat, []);
    this.byChat.get(chat).push(now);
    this.all.push(now);
    if (this.byChat.size > 10000) {
      for (const [k, v] of this.byChat) {
        this.prune(v, now);
        if (!v.length) this.byChat.delete(k);
      }
    }
  }
}

module.exports = { RateLimiter };
