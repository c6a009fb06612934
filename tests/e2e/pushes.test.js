// e2e: what leaves the server on its own — menu clicks answered like the typed phrase, and the
// outbox reaching the fake WeChat API (customer-service send with a stable_token that is
// refreshed once when the platform rejects it). Needs DAIBAN_URL (and
// FAKE_WECHAT_API for the push tests); skips otherwise. See README.md.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { e2e } = require('./e2e_config');
const p = require('./wechat_peer');

const skip = e2e.url ? false : 'DAIBAN_URL not set: start the server with the e2e tenant (README.md)';
const skipApi = skip || (!e2e.fake_api && 'FAKE_WECHAT_API not set');

const text = (user, content) => p.oaXml({ from: user, type: 'text', id: p.msgId(), fields: { Content: content } });
const click = (user, key) => p.oaXml({ from: user, type: 'event', fields: { Event: 'CLICK', EventKey: key } });

async function passiveText(xml, user) {
  const r = await p.postPlain(xml, user);
  assert.equal(r.status, 200);
  assert.ok(p.isReplyXml(r.text), r.text);
  return p.field(r.text, 'Content');
}

for (const [key, phrase] of [['GUIDE', '办事指南'], ['PROGRESS', '进度查询'], ['CONTACT_AGENT', '联系代理员']]) {
  test(`menu: the ${phrase} button answers like typing ${phrase}`, { skip }, async () => {
    const a = p.openid();
    const b = p.openid();
    const clicked = await passiveText(click(a, key), a);
    const typed = await passiveText(text(b, phrase), b);
    assert.equal(clicked, typed);
  });
}

async function sentTo(user, path) {
  for (let i = 0; i < 100; i++) {
    const sent = await (await fetch(`${e2e.fake_api}/__sent`)).json();
    const mine = sent.filter((s) => s.path === path && s.body.touser === user);
    if (mine.length) return mine;
    await new Promise((res) => setTimeout(res, 100));
  }
  return [];
}

test('a push survives a rejected access token: refreshed once, sent once', { skip: skipApi || (!e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set') }, async () => {
  // Kill every token the fake has minted: the cached one in Redis now answers 40001.
  const ctl = await fetch(`${e2e.fake_api}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ invalidate_tokens: true }),
  });
  assert.equal(ctl.status, 200);
  const user = p.openid();
  const r = await p.postPlain(text(user, e2e.slow_text), user);
  assert.equal(r.text, 'success');
  const sent = await sentTo(user, '/cgi-bin/message/custom/send');
  assert.equal(sent.length, 1, 'exactly one customer-service message');
  assert.equal(sent[0].body.msgtype, 'text');
  // The text is raw UTF-8 (no \u escapes, which WeChat refuses with 40033).
  assert.ok(sent[0].body.text.content.length > 0);
  await new Promise((res) => setTimeout(res, 1000));
  assert.equal((await sentTo(user, '/cgi-bin/message/custom/send')).length, 1, 'not sent twice');
});

test('media/get: a resident\'s photo is downloaded with its type; oversize and unknown ids fail', { skip: skipApi || (!process.env.DAIBAN_BIN && 'DAIBAN_BIN not set') }, async () => {
  const { spawnSync } = require('node:child_process');
  const os = require('node:os');
  const fs = require('node:fs');
  const path = require('node:path');
  const photo = Buffer.alloc(3000, 7);
  await fetch(`${e2e.fake_api}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ media: { m_photo_1: { base64: photo.toString('base64'), mime: 'image/jpeg' } } }),
  });
  const out = path.join(os.tmpdir(), `daiban-media-${process.pid}.jpg`);
  const run = (...args) => spawnSync(process.env.DAIBAN_BIN, ['media', 'get', '--tenant', e2e.tenant, '--config', process.env.DAIBAN_E2E_CONFIG, ...args], { encoding: 'utf8', cwd: path.join(__dirname, '../..') });
  const ok = run('--media-id', 'm_photo_1', '--out', out);
  assert.equal(ok.status, 0, ok.stderr);
  const info = JSON.parse(ok.stdout.trim().split('\n').pop());
  assert.equal(info.bytes, 3000);
  assert.equal(info.content_type, 'image/jpeg');
  assert.deepEqual(fs.readFileSync(out), photo);
  fs.unlinkSync(out);
  const big = run('--media-id', 'm_photo_1', '--max-bytes', '1000');
  assert.equal(big.status, 1);
  assert.match(big.stderr, /larger than allowed/);
  const unknown = run('--media-id', 'm_nope');
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /platform returned an error/);
});
