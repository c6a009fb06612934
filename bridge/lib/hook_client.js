// Posts one message to the bot's JSON hook, POST {url}/hook/{tenant}, signed. The bot answers 503
// (Redis down, or `in_progress`: an earlier delivery of the same message is still running) with
// Retry-After; a network error may have lost the answer. Both are resent — same message id, so
// the bot runs it once — with a fresh `time` (the bot refuses times more than `max_age_s` away
// from its clock) until `retry_for_ms` has passed. 4xx are final: logged with the bot's words.
'use strict';

const { sign } = require('./signature');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class HookClient {
  constructor({ url, tenant, secret, timeoutMs = 20000, retryForMs = 120000, now = Date.now, log }) {
    this.endpoint = `${url}/hook/${encodeURIComponent(tenant)}`;
    this.secret = secret;
    this.timeoutMs = timeoutMs;
    this.retryForMs = retryForMs;
    this.now = now;
    this.log = log;
    this.stopped = false;
  }

  // `build(nowS)` returns the body for one attempt. Resolves to
  // {ok: true, replies, duplicate} | {ok: false, status, error, detail}.
  async post(build) {
    const started = Date.now();
    let attempt = 0;
    for (;;) {
      attempt++;
      const message = build(Math.floor(this.now() / 1000));
      const body = JSON.stringify(message);
      let status = 0;
      let text = '';
      let retryAfter = 0;
      try {
        const r = await fetch(this.endpoint, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Daiban-Signature': sign(this.secret, body),
            // What a balancer in front of several bot replicas hashes on (deploy/nginx/daiban.conf).
            'X-Daiban-Chat': encodeURIComponent(message.chat?.id ?? ''),
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status = r.status;
        text = await r.text();
        retryAfter = Number(r.headers.get('retry-after')) || 0;
      } catch (e) {
        text = e.message;
      }
      if (status === 200) {
        let parsed;
        try {
          parsed = JSON.parse(text);
        } catch {
          return { ok: false, status, error: 'bad_response', detail: text.slice(0, 200) };
        }
        return { ok: true, replies: Array.isArray(parsed.replies) ? parsed.replies : [], duplicate: !!parsed.duplicate, attempts: attempt };
      }
      let err = {};
      try {
        err = JSON.parse(text);
      } catch {}
      const again = status === 0 || status === 408 || status === 429 || status >= 500;
      if (!again || this.stopped || Date.now() - started > this.retryForMs) {
        return { ok: false, status, error: err.error || (status ? `http_${status}` : 'unreachable'), detail: err.detail || text.slice(0, 200), field: err.field };
      }
      const wait = Math.min(retryAfter ? retryAfter * 1000 : 500 * 2 ** Math.min(attempt - 1, 5), 15000);
      this.log?.info('hook_retry', { status: status || 'network', error: err.error || text.slice(0, 80), attempt, wait_ms: wait });
      await sleep(wait);
    }
  }
}

module.exports = { HookClient };
