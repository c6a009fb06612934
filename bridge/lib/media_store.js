// Photos and files too large to travel inline in a hook request (the hook takes at most 2 MiB of
// base64 `media.data`) are offered to the bot as `media.url`: the bridge's own endpoint,
// GET /media/<id>?exp=<unix s>&sig=<hex>, where sig = HMAC-SHA256(secret, "<id>.<exp>"). The bot
// fetches it while it handles the turn; the link works for `ttlS` seconds, for that one file, and
// anyone without the tenant's hook secret cannot make one. Kept in memory only (a turn that
// fails for good is not retried after a restart: WeChat does not resend either), bounded in bytes.
'use strict';

const crypto = require('node:crypto');

class MediaStore {
  constructor({ secret, ttlS = 600, maxBytes = 256 * 1024 * 1024, now = Date.now }) {
    this.secret = secret;
    this.ttlMs = ttlS * 1000;
    this.maxBytes = maxBytes;
    this.now = now;
    this.items = new Map(); // id → {bytes, mime, name, expires}
    this.total = 0;
  }

  token(id, exp) {
    return crypto.createHmac('sha256', this.secret).update(`${id}.${exp}`).digest('hex');
  }

  sweep() {
    const t = this.now();
    for (const [id, it] of this.items) if (it.expires <= t) this.drop(id);
  }

  // Keeps `bytes` and returns the URL path (with its token) to give the bot.
  put(bytes, { mime, name } = {}) {
    this.sweep();
    // Oldest first out when full: a link that was never fetched in time is worth less than a new one.
    for (const id of this.items.keys()) {
      if (this.total + bytes.length <= this.maxBytes) break;
      this.drop(id);
    }
    const id = crypto.randomBytes(12).toString('hex');
    const expires = this.now() + this.ttlMs;
    const exp = Math.floor(expires / 1000);
    this.items.set(id, { bytes, mime: mime || 'application/octet-stream', name, expires });
    this.total += bytes.length;
    return { id, path: `/media/${id}?exp=${exp}&sig=${this.token(id, exp)}` };
  }

  drop(id) {
    const it = this.items.get(id);
    if (!it) return;
    this.total -= it.bytes.length;
    this.items.delete(id);
  }

  // → {status, item?}: 200 with the item, 403 for a bad or expired token, 404 when gone.
  get(id, exp, sig) {
    const e = Number(exp);
    if (!/^[0-9a-f]{24}$/.test(id || '') || !Number.isInteger(e) || typeof sig !== 'string') return { status: 403 };
    const want = Buffer.from(this.token(id, e));
    const got = Buffer.from(sig);
    if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) return { status: 403 };
    if (e * 1000 < this.now()) return { status: 403 };
    const item = this.items.get(id);
    if (!item) return { status: 404 };
    return { status: 200, item };
  }
}

module.exports = { MediaStore };
