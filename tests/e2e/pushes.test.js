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
  // A first late reply makes the server fetch and cache a token (in Redis).
  const first = p.openid();
  assert.equal((await p.postPlain(text(first, e2e.slow_text), first)).text, 'success');
  assert.equal((await sentTo(first, '/cgi-bin/message/custom/send')).length, 1);
  // Kill every token the fake has minted: the cached one now answers 40001.
  const ctl = await fetch(`${e2e.fake_api}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ invalidate_tokens: true }),
  });
  assert.equal(ctl.status, 200);
  const before = (await (await fetch(`${e2e.fake_api}/__requests`)).json()).length;
  const user = p.openid();
  const r = await p.postPlain(text(user, e2e.slow_text), user);
  assert.equal(r.text, 'success');
  const sent = await sentTo(user, '/cgi-bin/message/custom/send');
  assert.equal(sent.length, 1, 'exactly one customer-service message');
  assert.equal(sent[0].body.msgtype, 'text');
  assert.ok(sent[0].body.text.content.length > 0);
  // The server saw 40001, fetched a new token once, and retried once.
  const after = (await (await fetch(`${e2e.fake_api}/__requests`)).json()).slice(before);
  const rejected = after.filter((q) => q.path === '/cgi-bin/message/custom/send' && q.errcode === 40001);
  const refreshes = after.filter((q) => q.path === '/cgi-bin/stable_token');
  assert.equal(rejected.length, 1, JSON.stringify(after));
  assert.equal(refreshes.length, 1, JSON.stringify(after));
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

test('menu push: the demo menu passes the platform\'s checks and is created', { skip: skipApi || (!process.env.DAIBAN_BIN && 'DAIBAN_BIN not set') }, async () => {
  const { spawnSync } = require('node:child_process');
  const path = require('node:path');
  const r = spawnSync(process.env.DAIBAN_BIN, ['menu', 'push', '--tenant', e2e.tenant, '--config', process.env.DAIBAN_E2E_CONFIG], { encoding: 'utf8', cwd: path.join(__dirname, '../..') });
  assert.equal(r.status, 0, r.stderr);
  const sent = await (await fetch(`${e2e.fake_api}/__sent`)).json();
  const menus = sent.filter((s) => s.path === '/cgi-bin/menu/create');
  assert.equal(menus.length, 1);
  const keys = JSON.stringify(menus[0].body).match(/"key":"[A-Z_]+"/g);
  assert.deepEqual(keys.sort(), ['"key":"BOOK"', '"key":"CASE_NEW"', '"key":"CONTACT_AGENT"', '"key":"GUIDE"', '"key":"PROGRESS"', '"key":"RATE"']);
});

test('WeCom: a slow handler answers at once and the reply arrives as an app message', { skip: skipApi || (!e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set') }, async () => {
  const user = `e2e_slow_${Date.now()}`;
  const xml = `${p.oaXml({ from: user, to: e2e.wecom.corp_id, type: 'text', id: p.msgId(), fields: { Content: e2e.slow_text } }).replace('</xml>', '')}<AgentID>${e2e.wecom.agent_id}</AgentID></xml>`;
  const started = Date.now();
  const r = await p.postWecom(xml);
  assert.equal(r.status, 200);
  assert.ok(Date.now() - started < e2e.wechat.reply_budget_ms + 800, 'answered within the budget');
  let mine = [];
  for (let i = 0; i < 100 && !mine.length; i++) {
    const sent = await (await fetch(`${e2e.fake_api}/__sent`)).json();
    mine = sent.filter((s) => s.path === '/cgi-bin/message/send' && s.body.touser === user);
    if (!mine.length) await new Promise((res) => setTimeout(res, 100));
  }
  assert.equal(mine.length, 1, 'one app message (gettoken + message/send, AgentID checked by the fake)');
  assert.equal(String(mine[0].body.agentid), e2e.wecom.agent_id);
  assert.ok(mine[0].body.text.content.length > 0);
});

test('48 h window closed: the late reply goes out as a template message instead', { skip: skipApi || (!e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set') }, async () => {
  const user = p.openid();
  await fetch(`${e2e.fake_api}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ close_window: user }),
  });
  assert.equal((await p.postPlain(text(user, e2e.slow_text), user)).text, 'success');
  const templates = await sentTo(user, '/cgi-bin/message/template/send');
  assert.equal(templates.length, 1);
  assert.ok(templates[0].body.client_msg_id, 'client_msg_id makes a redelivery harmless');
  const sent = await (await fetch(`${e2e.fake_api}/__sent`)).json();
  assert.equal(sent.filter((s) => s.path === '/cgi-bin/message/custom/send' && s.body.touser === user).length, 0);
});

test('a resident\'s photo sent as a MediaId is fetched with media/get and filed under the material asked for', { skip: skipApi }, async () => {
  const user = p.openid();
  const opened = await passiveText(text(user, '我是黄花岭村的，想办低保'), user);
  assert.match(opened, /最低生活保障|低保/, opened);
  // WeChat delivers a photo as PicUrl + MediaId; the bytes must be fetched from the platform.
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 9), Buffer.from([0xff, 0xd9])]);
  const mediaId = `m_case_${user.slice(-8)}`;
  await fetch(`${e2e.fake_api}/__control`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ media: { [mediaId]: { base64: jpeg.toString('base64'), mime: 'image/jpeg' } } }),
  });
  const image = (id) => p.oaXml({ from: user, type: 'image', id: p.msgId(), fields: { PicUrl: 'http://mmbiz.qpic.cn/e2e/0', MediaId: id } });
  const got = await passiveText(image(mediaId), user);
  assert.match(got, /收到.+已收到 1\//, got);
  const asked = await (await fetch(`${e2e.fake_api}/__requests`)).json();
  assert.ok(asked.some((q) => q.path === '/cgi-bin/media/get' && q.query.media_id === mediaId && q.errcode === 0), 'fetched with media/get');
  // A MediaId the platform no longer knows (they expire after three days): asked to send again.
  const lost = await passiveText(image('m_expired_long_ago'), user);
  assert.match(lost, /没能收到.*再发一次/, lost);
});
