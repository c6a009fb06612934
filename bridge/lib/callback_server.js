// The bridge's own HTTP endpoint, next to the bot:
//   POST <callback_path>  the bot's pushes (tenant hook.callback_url), body
//                         {"replies":[...],"idempotency_key":K,"time":unix s}, X-Daiban-Signature
//                         as on the hook. 401 bad/missing signature, or a time more than
//                         maxAgeS from this clock (a replay) · 400 malformed · 422 a chat this bridge has
//                         no room or contact for (the bot dead-letters it, with this reason) ·
//                         503 + Retry-After when the queue is full (the bot retries) · 200 once the
//                         push is on disk, or at once for a key already taken ("duplicate": true).
//   GET /media/<id>?exp&sig   a photo or file the bot fetches for a turn (media_store.js)
//   GET /status               counters and state (JSON), GET /healthz
'use strict';

const http = require('node:http');
const { verify } = require('./signature');
const { chatKey } = require('./outbound');

function json(res, status, obj, headers = {}) {
  const body = JSON.stringify(obj);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

class CallbackServer {
  constructor({ secret, path, bodyLimit, maxAgeS = 300, journal, directory, media, onAccepted, status, log, stats }) {
    this.secret = secret;
    this.path = path;
    this.bodyLimit = bodyLimit;
    this.maxAgeS = maxAgeS;
    this.journal = journal;
    this.directory = directory;
    this.media = media;
    this.onAccepted = onAccepted;
    this.status = status;
    this.log = log;
    this.stats = stats;
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
  }

  listen(host, port) {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address());
      });
    });
  }

  close() {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }

  handle(req, res) {
    const url = new URL(req.url, 'http://bridge');
    if (req.method === 'POST' && url.pathname === this.path) return this.callback(req, res);
    if (req.method === 'GET' && url.pathname.startsWith('/media/')) return this.serveMedia(url, res);
    if (req.method === 'GET' && url.pathname === '/status') return json(res, 200, this.status());
    if (req.method === 'GET' && url.pathname === '/healthz') return json(res, 200, { ok: true });
    return json(res, 404, { error: 'not_found', detail: `no route ${req.method} ${url.pathname}` });
  }

  serveMedia(url, res) {
    const id = url.pathname.slice('/media/'.length);
    const got = this.media.get(id, url.searchParams.get('exp'), url.searchParams.get('sig'));
    if (got.status !== 200) {
      this.log?.warn('media_refused', { status: got.status });
      return json(res, got.status, { error: got.status === 404 ? 'gone' : 'forbidden' });
    }
    const { item } = got;
    this.stats.mediaServed++;
    res.writeHead(200, {
      'Content-Type': item.mime,
      'Content-Length': item.bytes.length,
      ...(item.name ? { 'Content-Disposition': `attachment; filename="${encodeURIComponent(item.name)}"` } : {}),
    });
    res.end(item.bytes);
  }

  callback(req, res) {
    const chunks = [];
    let size = 0;
    let over = false;
    req.on('data', (c) => {
      size += c.length;
      if (size > this.bodyLimit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => {
      if (over) return json(res, 413, { error: 'too_large', detail: `body over ${this.bodyLimit} bytes` });
      const raw = Buffer.concat(chunks);
      if (!verify(this.secret, raw, req.headers['x-daiban-signature'])) {
        this.stats.badSignatures++;
        this.log?.warn('callback_bad_signature', { from: req.socket.remoteAddress, bytes: raw.length });
        return json(res, 401, { error: 'bad_signature', detail: 'X-Daiban-Signature does not match the body (HMAC-SHA256 with the hook secret)' });
      }
      let body;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return json(res, 400, { error: 'bad_json', detail: 'the body is not JSON' });
      }
      // A signed callback replayed later (after its key is forgotten) must not be said again.
      const sent = body && body.time;
      if (!Number.isInteger(sent))
        return json(res, 400, { error: 'bad_field', field: 'time', detail: 'time must be the unix seconds the push was sent' });
      const skew = Math.floor(Date.now() / 1000) - sent;
      if (Math.abs(skew) > this.maxAgeS) {
        this.stats.staleCallbacks++;
        this.log?.warn('callback_stale', { skew_s: skew, key: body.idempotency_key });
        return json(res, 401, { error: 'stale', field: 'time', detail: `time is ${skew} s from this bridge's clock (allowed ±${this.maxAgeS} s): a replay, or a clock to set right (NTP)` });
      }
      const key = body && body.idempotency_key;
      if (typeof key !== 'string' || !key || key.length > 512)
        return json(res, 400, { error: 'bad_field', field: 'idempotency_key', detail: 'idempotency_key must be a non-empty string' });
      if (!Array.isArray(body.replies)) return json(res, 400, { error: 'bad_field', field: 'replies', detail: 'replies must be an array' });
      if (this.journal.has(key)) {
        this.stats.duplicates++;
        this.log?.info('callback_duplicate', { key });
        return json(res, 200, { ok: true, duplicate: true });
      }
      const items = [];
      for (const [i, reply] of body.replies.entries()) {
        let chat;
        try {
          chat = chatKey(reply);
        } catch (e) {
          return json(res, 400, { error: 'bad_field', field: `replies[${i}]`, detail: e.message });
        }
        const known = reply.chat.type === 'group' ? this.directory.isGroup(reply.chat.id) : this.directory.isContact(reply.chat.id);
        if (!known) {
          this.stats.unknownChats++;
          this.log?.error('callback_unknown_chat', { key, chat });
          return json(res, 422, { error: 'unknown_chat', field: `replies[${i}].chat.id`, detail: `the bridge has no room or contact for ${chat}: add it to the bridge config` });
        }
        items.push({ chat, reply });
      }
      if (this.journal.full()) {
        this.stats.queueFull++;
        this.log?.warn('queue_full', { key, size: this.journal.size() });
        return json(res, 503, { error: 'queue_full', detail: 'the bridge has too much waiting to be said; retry later' }, { 'Retry-After': '30' });
      }
      let entries;
      try {
        entries = this.journal.add(key, items, 'callback');
      } catch (e) {
        this.log?.error('journal_write_failed', { key, reason: e.message });
        return json(res, 503, { error: 'unavailable', detail: 'could not write the queue to disk' }, { 'Retry-After': '5' });
      }
      this.stats.callbacks++;
      this.log?.info('callback_accepted', { key, replies: items.length, queued: this.journal.size() });
      json(res, 200, { ok: true, duplicate: false, queued: entries.length });
      this.onAccepted(entries);
    });
  }
}

module.exports = { CallbackServer };
