// e2e: the running server's /wechat/{tenant} and /wecom/{tenant} routes against requests built by
// wechat-crypto and @wecom/crypto, as WeChat and WeCom would send them. Needs DAIBAN_URL (and a
// server started with the tenant of e2e_config.js); skips otherwise. See README.md.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { e2e } = require('./e2e_config');
const p = require('./wechat_peer');

const skip = e2e.url ? false : 'DAIBAN_URL not set: start the server with the e2e tenant (README.md)';

function assertSecondsNow(createTime) {
  const t = Number(createTime);
  // Seconds, not milliseconds (node-webot's mistake), and about now.
  assert.ok(Math.abs(t - p.now()) < 120, `CreateTime ${createTime} is not Unix seconds of now`);
}

function assertPassive(reply, user) {
  assert.ok(p.isReplyXml(reply), `not a reply XML: ${reply}`);
  assert.equal(p.field(reply, 'ToUserName'), user);
  assert.equal(p.field(reply, 'FromUserName'), e2e.wechat.gh_id);
  assertSecondsNow(p.field(reply, 'CreateTime'));
  const type = p.field(reply, 'MsgType');
  assert.ok(['text', 'news', 'image'].includes(type), `MsgType ${type}`);
  if (type === 'text') assert.ok(p.field(reply, 'Content').length > 0, 'empty Content');
  return type;
}

const text = (user, content, id = p.msgId()) => p.oaXml({ from: user, type: 'text', id, fields: { Content: content } });
const event = (user, name, fields = {}) => p.oaXml({ from: user, type: 'event', fields: { Event: name, ...fields } });

test('official account: URL verification', { skip }, async () => {
  const echostr = `${Date.now()}${p.nonce()}`;
  const ok = await p.send('GET', p.oaUrl({ ...p.plainParams(''), echostr }));
  assert.equal(ok.status, 200);
  assert.equal(ok.text, echostr); // raw: no quotes, no newline, no JSON
  const bad = await p.send('GET', p.oaUrl({ ...p.plainParams(''), signature: '0'.repeat(40), echostr }));
  assert.equal(bad.status, 401);
  assert.notEqual(bad.text, echostr);
});

test('official account, plain mode: text gets a passive reply', { skip }, async () => {
  const user = p.openid();
  const r = await p.postPlain(text(user, '你好'), user);
  assert.equal(r.status, 200);
  assertPassive(r.text, user);
});

test('official account: Content-Type missing, text/xml and application/xml all accepted', { skip }, async () => {
  for (const headers of [{ 'Content-Type': '' }, { 'Content-Type': 'text/xml' }, { 'Content-Type': 'application/xml; charset=utf-8' }]) {
    const user = p.openid();
    const r = await p.postPlain(text(user, '办事指南'), user, { headers });
    assert.equal(r.status, 200, JSON.stringify(headers));
    assertPassive(r.text, user);
  }
});

test('official account, safe mode: the reply is encrypted, signed and for our AppID', { skip }, async () => {
  const user = p.openid();
  const r = await p.postSafe(text(user, '我要代办'), user);
  assert.equal(r.status, 200);
  const inner = p.openOaReply(r.text); // throws on a bad MsgSignature or a foreign AppID
  assertSecondsNow(inner.timestamp);
  assertPassive(inner.xml, user);
});

test('official account, compatibility mode is answered', { skip }, async () => {
  const user = p.openid();
  const r = await p.postSafe(text(user, '办事指南'), user, { compat: true });
  assert.equal(r.status, 200);
  // Compatibility mode lets the server choose; an encrypted reply must verify.
  if (p.field(r.text, 'Encrypt') !== undefined) assertPassive(p.openOaReply(r.text).xml, user);
  else assertPassive(r.text, user);
});

test('official account: three deliveries of one message are handled once', { skip }, async () => {
  const user = p.openid();
  const id = p.msgId();
  const xml = text(user, '我要代办', id); // starts a dialogue: handling it twice would move it on
  const replies = [];
  for (let i = 0; i < 3; i++) {
    // Each retry is a new request: fresh timestamp, nonce and random prefix.
    const r = await p.postSafe(xml, user);
    assert.equal(r.status, 200);
    replies.push(r.text === 'success' || r.text === '' ? null : p.field(p.openOaReply(r.text).xml, 'Content'));
  }
  assert.ok(replies[0], 'the first delivery gets the passive reply');
  for (const later of replies.slice(1)) {
    // A retry gets the first attempt's reply again (or "success" when it is not ready yet).
    if (later !== null) assert.equal(later, replies[0]);
  }
});

test('official account: events', { skip }, async () => {
  const user = p.openid();
  const sub = await p.postPlain(event(user, 'subscribe', { EventKey: 'qrscene_village:hhl', Ticket: 'T' }), user);
  assert.equal(sub.status, 200);
  assertPassive(sub.text, user); // a welcome, bound to the village

  const click = await p.postPlain(event(user, 'CLICK', { EventKey: 'GUIDE' }), user);
  assert.equal(click.status, 200);
  assertPassive(click.text, user);

  for (const quiet of [
    event(user, 'VIEW', { EventKey: 'https://example.com/', MenuId: 1 }),
    event(user, 'LOCATION', { Latitude: '42.08', Longitude: '123.24', Precision: '30.0' }),
    event(user, 'TEMPLATESENDJOBFINISH', { MsgID: '200163836', Status: 'success' }),
    event(user, 'unsubscribe'),
  ]) {
    const r = await p.postPlain(quiet, user);
    assert.equal(r.status, 200);
    // WeChat users expect silence here: no reply at all, least of all "没太明白".
    assert.ok(r.text === 'success' || r.text === '', `an event that should be silent was answered: ${r.text}`);
  }
});

test('official account: a voice message is read like the same words typed', { skip }, async () => {
  const user = p.openid();
  const sub = await p.postPlain(event(user, 'subscribe', { EventKey: 'qrscene_village:hhl', Ticket: 'T' }), user);
  assert.equal(sub.status, 200);

  const voice = (recognition) => p.oaXml({ from: user, type: 'voice', id: p.msgId(),
    fields: { MediaId: `media_${p.msgId()}`, Format: 'amr', Recognition: recognition } });
  // Voice input has no punctuation; the complaint is registered with a number and an owner.
  const complaint = await p.postPlain(voice('我要投诉村里低保评得不公平'), user);
  assert.equal(complaint.status, 200);
  assertPassive(complaint.text, user);
  const said = p.field(complaint.text, 'Content');
  assert.match(said, /投诉 #\d+/, said);
  assert.doesNotMatch(said, /没太明白/);

  // A voice message WeChat could not transcribe gets a question, not silence or a guess.
  const blank = await p.postPlain(voice(''), user);
  assert.equal(blank.status, 200);
  assertPassive(blank.text, user);
  assert.ok(p.field(blank.text, 'Content').length > 0);
});

test('official account: unknown message types are acknowledged with success', { skip }, async () => {
  const user = p.openid();
  const r = await p.postPlain(p.oaXml({ from: user, type: 'miniprogrampage', id: p.msgId(), fields: { Title: 't' } }), user);
  assert.equal(r.status, 200);
  assert.equal(r.text, 'success');
});

test('official account: bad requests are refused with the right status', { skip }, async () => {
  const user = p.openid();
  const good = text(user, '你好');
  const cases = [
    ['bad signature', () => p.postPlain(good, user, { params: { signature: 'f'.repeat(40) } }), 401],
    ['stale timestamp', () => {
      const ts = String(p.now() - 3600);
      return p.postPlain(good, user, { params: p.plainParams(user, ts) });
    }, 401],
    ['bad msg_signature', () => {
      const url = p.oaUrl({ ...p.plainParams(user), encrypt_type: 'aes', msg_signature: '0'.repeat(40) });
      return p.send('POST', url, `<xml><ToUserName>x</ToUserName><Encrypt>${p.cdata('AAAA')}</Encrypt></xml>`);
    }, 401],
    ['DOCTYPE / XXE', () => p.postPlain(`<!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>${good.replace('你好', '&x;')}`, user), 400],
    ['malformed XML', () => p.postPlain('<xml><ToUserName>', user), 400],
    ['not UTF-8', () => p.send('POST', p.oaUrl(p.plainParams(user)), Buffer.concat([Buffer.from(good.slice(0, 60)), Buffer.from([0xff, 0xfe]), Buffer.from(good.slice(60))])), 400],
    ['wrong AppID inside', () => p.postSafe(good, user, { appid: 'wx_someone_else' }), 400],
    ['ciphertext not whole blocks', () => p.postSafe(good, user, { tamper: (e) => e.slice(0, -4) }), 400],
    // Another account's EncodingAESKey (43 characters, like any): the signature holds (same
    // token), the plaintext is noise and must be refused, not half-read.
    ['wrong AES key', () => p.postSafe(good, user, { aesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' }), 400],
    ['truncated ciphertext, whole blocks', () => p.postSafe(good, user, { tamper: (e) => Buffer.from(e, 'base64').subarray(0, 32).toString('base64') }), 400],
  ];
  for (const [name, run, want] of cases) {
    const r = await run();
    assert.equal(r.status, want, `${name}: got ${r.status} ${r.text}`);
  }
  const huge = await p.postPlain(text(user, 'x'.repeat(200 * 1024)), user);
  assert.ok([400, 413].includes(huge.status), `oversized: ${huge.status}`);
  // 10 MiB: refused by the HTTP layer's body limit, and the server keeps answering.
  let tenMiB;
  try {
    tenMiB = await p.postPlain(text(user, 'x'.repeat(10 * 1024 * 1024)), user);
  } catch {
    tenMiB = { status: 'connection closed' }; // the server may stop reading and close instead
  }
  assert.ok([413, 'connection closed'].includes(tenMiB.status), `10 MiB: ${tenMiB.status}`);
  const after = await p.postPlain(text(user, '你好'), user);
  assert.equal(after.status, 200, 'the server still answers after a 10 MiB body');
});

test('official account: a slow handler answers success and pushes the reply', { skip: skip || (!e2e.fake_api && 'FAKE_WECHAT_API not set') || (!e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set') }, async () => {
  const user = p.openid();
  const started = Date.now();
  const r = await p.postPlain(text(user, e2e.slow_text), user);
  const took = Date.now() - started;
  assert.equal(r.status, 200);
  assert.equal(r.text, 'success');
  assert.ok(took < e2e.wechat.reply_budget_ms + 800, `answered after ${took} ms (WeChat gives up at 5000)`);
  let pushed;
  for (let i = 0; i < 100 && !pushed; i++) {
    const sent = await (await fetch(`${e2e.fake_api}/__sent`)).json();
    pushed = sent.find((s) => s.path === '/cgi-bin/message/custom/send' && s.body.touser === user);
    if (!pushed) await new Promise((res) => setTimeout(res, 100));
  }
  assert.ok(pushed, 'the reply arrived at the fake WeChat API as a customer-service message');
});

test('WeCom: URL verification decrypts echostr', { skip }, async () => {
  const plain = String(p.nonce()) + String(p.nonce());
  const r = await p.wecomVerify(plain);
  assert.equal(r.status, 200);
  assert.equal(r.text, plain);
});

test('WeCom: encrypted message gets an encrypted reply for our CorpID; AgentID checked', { skip }, async () => {
  const user = 'e2e_lisi';
  const xml = `${p.oaXml({ from: user, to: e2e.wecom.corp_id, type: 'text', id: p.msgId(), fields: { Content: '你好' } }).replace('</xml>', '')}<AgentID>${e2e.wecom.agent_id}</AgentID></xml>`;
  const r = await p.postWecom(xml);
  assert.equal(r.status, 200);
  const inner = p.openWecomReply(r.text);
  assert.equal(p.field(inner.xml, 'ToUserName'), user);
  assert.equal(p.field(inner.xml, 'FromUserName'), e2e.wecom.corp_id);
  assertSecondsNow(p.field(inner.xml, 'CreateTime'));

  const wrongAgent = await p.postWecom(xml, { agentId: '999' });
  assert.equal(wrongAgent.status, 400);
  const badSig = await p.postWecom(xml, { badSignature: true });
  assert.equal(badSig.status, 401);
  const wrongCorp = await p.postWecom(xml, { corpId: 'ww_other' });
  assert.equal(wrongCorp.status, 400);
});
