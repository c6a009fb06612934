// What the bridge still has to say, on disk: an append-only journal (state_dir/journal.jsonl)
// with one JSON line per change, fsync'd before the change counts —
//   {"op":"add","key":K,"at":ms,"entries":[{"seq":n,"chat":"g:g_cl","reply":{...},"source":"callback"}]}
//   {"op":"done","seq":n,"ok":true}            said (or given up: ok false, with why)
//   {"op":"seen","key":K,"at":ms}               a key whose entries are all done (after compaction)
//   {"op":"seq","next":n}                        the next sequence number (after compaction)
// A push is acknowledged to the bot only once its line is on disk, so a crash or a restart of the
// bridge never loses one; its idempotency key stays known for `keep_keys_days`, so the bot's
// retry of a push the bridge already took (or said) is answered "duplicate" and not said twice.
// Bounded: `max_entries` waiting entries; the callback answers 503 beyond (the bot's outbox keeps
// them and retries). A torn last line (a crash mid-write) is ignored on reading.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

class Journal {
  constructor({ dir, maxEntries = 5000, keepKeysMs = 7 * 86400000, maxKeys = 200000, now = Date.now, log }) {
    this.dir = dir;
    this.file = path.join(dir, 'journal.jsonl');
    this.maxEntries = maxEntries;
    this.keepKeysMs = keepKeysMs;
    this.maxKeys = maxKeys;
    this.now = now;
    this.log = log;
    this.pending = new Map(); // seq → entry, in seq order
    this.keys = new Map(); // idempotency key → time first taken
    this.nextSeq = 1;
    this.doneSinceCompaction = 0;
    this.fd = null;
  }

  open() {
    fs.mkdirSync(this.dir, { recursive: true });
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
    const lines = text.split('\n');
    let torn = 0;
    for (const line of lines) {
      if (!line) continue;
      let op;
      try {
        op = JSON.parse(line);
      } catch {
        torn++;
        continue;
      }
      this.apply(op);
    }
    if (torn) this.log?.warn('journal_torn_lines', { count: torn, file: this.file });
    this.fd = fs.openSync(this.file, 'a');
    this.compact(); // drop what is said and keys past their time; rewrites a torn tail cleanly
    return this;
  }

  apply(op) {
    if (op.op === 'add') {
      if (op.key) this.keys.set(op.key, op.at || this.now());
      for (const e of op.entries || []) {
        this.pending.set(e.seq, { ...e, key: op.key, at: op.at });
        this.nextSeq = Math.max(this.nextSeq, e.seq + 1);
      }
    } else if (op.op === 'done') {
      this.pending.delete(op.seq);
      this.nextSeq = Math.max(this.nextSeq, op.seq + 1);
    } else if (op.op === 'seen') {
      this.keys.set(op.key, op.at);
    } else if (op.op === 'seq') {
      this.nextSeq = Math.max(this.nextSeq, op.next);
    }
  }

  write(op) {
    const line = `${JSON.stringify(op)}\n`;
    fs.writeSync(this.fd, line);
    fs.fsyncSync(this.fd);
  }

  size() {
    return this.pending.size;
  }

  full() {
    return this.pending.size >= this.maxEntries;
  }

  has(key) {
    return this.keys.has(key);
  }

  // Adds the replies under one idempotency key (or none: key null); durable when it returns.
  // Returns the new entries, or null when the key was already taken.
  add(key, items, source) {
    if (key && this.keys.has(key)) return null;
    const at = this.now();
    const entries = items.map((it) => ({ seq: this.nextSeq++, chat: it.chat, reply: it.reply, source }));
    this.write({ op: 'add', key: key || undefined, at, entries });
    if (key) this.keys.set(key, at);
    const added = entries.map((e) => ({ ...e, key, at }));
    for (const e of added) this.pending.set(e.seq, e);
    return added;
  }

  done(seq, ok = true, why) {
    if (!this.pending.has(seq)) return;
    this.write(ok ? { op: 'done', seq, ok } : { op: 'done', seq, ok, why });
    this.pending.delete(seq);
    if (++this.doneSinceCompaction >= 1000) this.compact();
  }

  // Waiting entries, oldest first.
  entries() {
    return [...this.pending.values()];
  }

  // Rewrites the journal with only what is still needed: waiting entries and recent keys.
  compact() {
    const cutoff = this.now() - this.keepKeysMs;
    let keys = [...this.keys.entries()].filter(([, at]) => at >= cutoff);
    if (keys.length > this.maxKeys) keys = keys.sort((a, b) => a[1] - b[1]).slice(-this.maxKeys);
    this.keys = new Map(keys);
    const waitingKeys = new Set();
    const lines = [];
    const byKey = new Map();
    for (const e of this.pending.values()) {
      const k = e.key || `\u0000${e.seq}`;
      if (!byKey.has(k)) byKey.set(k, []);
      byKey.get(k).push(e);
      if (e.key) waitingKeys.add(e.key);
    }
    for (const [k, at] of this.keys) if (!waitingKeys.has(k)) lines.push({ op: 'seen', key: k, at });
    for (const list of byKey.values()) {
      lines.push({
        op: 'add',
        key: list[0].key || undefined,
        at: list[0].at,
        entries: list.map(({ seq, chat, reply, source }) => ({ seq, chat, reply, source })),
      });
    }
    // Keep the sequence counter past every seq ever handed out.
    lines.push({ op: 'seq', next: this.nextSeq });
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    fs.writeSync(fd, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, this.file);
    try {
      const dfd = fs.openSync(this.dir, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {}
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, 'a');
    this.doneSinceCompaction = 0;
  }

  close() {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }
}

module.exports = { Journal };
