// Says what the journal holds, in order, as fast as the rate limits allow and only while the
// puppet is logged in. Per chat (room or contact) entries go strictly in journal order; another
// chat waiting for its rate window does not hold a ready one back. One message at a time for the
// whole account. A failed say is retried with backoff (a room not found just after login is
// usually one the puppet has not loaded yet); after `maxAttempts`, or when retrying cannot help,
// the entry is given up, logged and recorded in the journal as not said.
'use strict';

const { EventEmitter } = require('node:events');

class Sender extends EventEmitter {
  constructor({ journal, limiter, say, isOnline, maxAttempts = 30, now = Date.now, log }) {
    super();
    this.journal = journal;
    this.limiter = limiter;
    this.say = say; // async (entry) → void; throws {permanent}
    this.isOnline = isOnline;
    this.maxAttempts = maxAttempts;
    this.now = now;
    this.log = log;
    this.retryAt = new Map(); // seq → {at, attempts}
    this.timer = null;
    this.busy = false;
    this.stopped = false;
    this.saidCount = 0;
    this.failedCount = 0;
  }

  kick() {
    if (this.stopped || this.busy) return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    setImmediate(() => this.step());
  }

  later(ms) {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.step();
    }, Math.max(ms, 5));
  }

  // The next entry that may be said now, or the time to wait for one.
  pick() {
    const now = Date.now();
    const seenChats = new Set();
    let soonest = Infinity;
    for (const e of this.journal.entries()) {
      if (seenChats.has(e.chat)) continue; // an earlier entry of this chat goes first
      seenChats.add(e.chat);
      const r = this.retryAt.get(e.seq);
      let wait = r ? Math.max(0, r.at - now) : 0;
      wait = Math.max(wait, this.limiter.wait(e.chat, now));
      if (wait === 0) return { entry: e };
      soonest = Math.min(soonest, wait);
    }
    return { wait: soonest };
  }

  async step() {
    if (this.stopped || this.busy) return;
    if (!this.isOnline()) return; // login kicks again
    const { entry, wait } = this.pick();
    if (!entry) {
      if (Number.isFinite(wait)) this.later(wait);
      else this.emit('idle');
      return;
    }
    this.busy = true;
    const started = Date.now();
    try {
      this.limiter.record(entry.chat, started);
      await this.say(entry);
      this.journal.done(entry.seq, true);
      this.retryAt.delete(entry.seq);
      this.saidCount++;
      this.log?.info('said', { chat: entry.chat, seq: entry.seq, key: entry.key, source: entry.source, ms: Date.now() - started });
      this.emit('said', entry);
    } catch (e) {
      const r = this.retryAt.get(entry.seq) || { attempts: 0 };
      // Logged out mid-send: not the entry's fault; it goes again after the next login.
      if (this.isOnline()) r.attempts++;
      if (e.permanent || r.attempts >= this.maxAttempts) {
        this.journal.done(entry.seq, false, e.message);
        this.retryAt.delete(entry.seq);
        this.failedCount++;
        this.log?.error('undeliverable', { chat: entry.chat, seq: entry.seq, key: entry.key, attempts: r.attempts, reason: e.message });
        this.emit('failed', entry, e);
      } else {
        r.at = Date.now() + Math.min(1000 * 2 ** (r.attempts - 1), 60000);
        this.retryAt.set(entry.seq, r);
        this.log?.warn('say_failed', { chat: entry.chat, seq: entry.seq, attempt: r.attempts, reason: e.message });
      }
    } finally {
      this.busy = false;
    }
    if (!this.stopped) setImmediate(() => this.step());
  }

  // Stops after the message being said, if any (resolves then).
  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.busy) await new Promise((r) => setTimeout(r, 20));
  }
}

module.exports = { Sender };
