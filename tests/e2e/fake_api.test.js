// e2e (no server needed): the fake WeChat API fixture behaves like the real one, so tests that
// rely on it (token refresh, window closed, rate limits) test the bot against real semantics.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { start } = require('./fake_wechat_api');

async function call(api, method, path, body) {
  const res = await fetch(api.url + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = res.headers.get('content-type') || '';
  return { status: res.status, type, text: await res.text() };
}

async function j(api, method, path, body) {
  const r = await call(api, method, path, body);
  assert.equal(r.status, 200);
  return JSON.parse(r.text);
}

test('fake WeChat API enforces the protocol', async (t) => {
  const api = await start({ port: 0 });
  t.after(() => api.close());
  const { appid, secret } = api.config;

  await t.test('token: wrong secret 40125, new token kills the old one (40001 after grace)', async () => {
    assert.equal((await j(api, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=x`)).errcode, 40125);
    const a = await j(api, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`);
    const b = await j(api, 'GET', `/cgi-bin/token?grant_type=client_credential&appid=${appid}&secret=${secret}`);
    assert.notEqual(a.access_token, b.access_token);
    assert.equal(a.expires_in, 7200);
    const send = (tok) => j(api, 'POST', `/cgi-bin/message/custom/send?access_token=${tok}`,
      { touser: 'oU1', msgtype: 'text', text: { content: '你好' } });
    assert.equal((await send(a.access_token)).errcode, 0); // within the grace period
    await j(api, 'POST', '/__control', { advance_s: 301 });
    assert.equal((await send(a.access_token)).errcode, 40001);
    assert.equal((await send(b.access_token)).errcode, 0);
    await j(api, 'POST', '/__control', { advance_s: 7200 });
    assert.equal((await send(b.access_token)).errcode, 42001);
    assert.equal((await send('')).errcode, 41001);
  });

  await t.test('stable_token: same token until force_refresh', async () => {
    const req = { grant_type: 'client_credential', appid, secret, force_refresh: false };
    const a = await j(api, 'POST', '/cgi-bin/stable_token', req);
    const b = await j(api, 'POST', '/cgi-bin/stable_token', req);
    assert.equal(a.access_token, b.access_token);
    const c = await j(api, 'POST', '/cgi-bin/stable_token', { ...req, force_refresh: true });
    assert.notEqual(c.access_token, a.access_token);
    const r = await j(api, 'POST', `/cgi-bin/message/custom/send?access_token=${a.access_token}`,
      { touser: 'oU1', msgtype: 'text', text: { content: 'x' } });
    assert.equal(r.errcode, 40001);
  });

  await t.test('custom/send: 45015, 45047, 45008, 40033 and a record of what was accepted', async () => {
    await j(api, 'POST', '/__reset');
    const { access_token: tok } = await j(api, 'POST', '/cgi-bin/stable_token',
      { grant_type: 'client_credential', appid, secret });
    const path = `/cgi-bin/message/custom/send?access_token=${tok}`;
    await j(api, 'POST', '/__control', { close_window: 'oGone', kf_quota: 2 });
    assert.equal((await j(api, 'POST', path, { touser: 'oGone', msgtype: 'text', text: { content: 'x' } })).errcode, 45015);
    for (const want of [0, 0, 45047]) {
      assert.equal((await j(api, 'POST', path, { touser: 'oA', msgtype: 'text', text: { content: '办好了' } })).errcode, want);
    }
    const news = { touser: 'oB', msgtype: 'news', news: { articles: [{ title: 'a' }, { title: 'b' }] } };
    assert.equal((await j(api, 'POST', path, news)).errcode, 45008);
    const escaped = '{"touser":"oB","msgtype":"text","text":{"content":"\\u4f60\\u597d"}}';
    assert.equal((await j(api, 'POST', path, escaped)).errcode, 40033);
    assert.equal((await j(api, 'POST', path, '{bad json')).errcode, 47001);
    const sent = await j(api, 'GET', '/__sent');
    assert.deepEqual(sent.map((s) => s.body.text.content), ['办好了', '办好了']);
  });

  await t.test('template/send: 64-bit msgid, client_msg_id dedupes', async () => {
    await j(api, 'POST', '/__reset');
    const { access_token: tok } = await j(api, 'POST', '/cgi-bin/stable_token',
      { grant_type: 'client_credential', appid, secret });
    const body = { touser: 'oA', template_id: 'tmpl_case_update', client_msg_id: 'case-1-done', data: { thing1: { value: '医疗救助' } } };
    const r1 = await call(api, 'POST', `/cgi-bin/message/template/send?access_token=${tok}`, body);
    const r2 = await call(api, 'POST', `/cgi-bin/message/template/send?access_token=${tok}`, body);
    const id1 = /"msgid":(\d+)/.exec(r1.text)[1];
    assert.ok(BigInt(id1) > BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(/"msgid":(\d+)/.exec(r2.text)[1], id1);
    assert.equal((await j(api, 'GET', '/__sent')).length, 1);
    const bad = await j(api, 'POST', `/cgi-bin/message/template/send?access_token=${tok}`, { ...body, template_id: 'nope' });
    assert.equal(bad.errcode, 40037);
  });

  await t.test('media/get: binary on success, JSON 40007 on failure', async () => {
    const { access_token: tok } = await j(api, 'POST', '/cgi-bin/stable_token',
      { grant_type: 'client_credential', appid, secret });
    await j(api, 'POST', '/__control', { media: { media_1: { base64: Buffer.from('JPEGDATA').toString('base64'), mime: 'image/jpeg' } } });
    const ok = await call(api, 'GET', `/cgi-bin/media/get?access_token=${tok}&media_id=media_1`);
    assert.equal(ok.type, 'image/jpeg');
    assert.equal(ok.text, 'JPEGDATA');
    const missing = await call(api, 'GET', `/cgi-bin/media/get?access_token=${tok}&media_id=nope`);
    assert.match(missing.type, /application\/json/);
    assert.equal(JSON.parse(missing.text).errcode, 40007);
  });

  await t.test('WeCom gettoken + message/send, agentid checked', async () => {
    const { corpid, corpsecret, agentid } = api.config;
    assert.equal((await j(api, 'GET', `/cgi-bin/gettoken?corpid=${corpid}&corpsecret=x`)).errcode, 40001);
    const a = await j(api, 'GET', `/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${corpsecret}`);
    const b = await j(api, 'GET', `/cgi-bin/gettoken?corpid=${corpid}&corpsecret=${corpsecret}`);
    assert.equal(a.access_token, b.access_token);
    const path = `/cgi-bin/message/send?access_token=${a.access_token}`;
    assert.equal((await j(api, 'POST', path, { touser: 'lisi', msgtype: 'text', agentid: 1, text: { content: 'x' } })).errcode, 40056);
    assert.equal((await j(api, 'POST', path, { touser: 'lisi', msgtype: 'text', agentid: Number(agentid), text: { content: '新案件' } })).errcode, 0);
    assert.equal((await j(api, 'POST', `/cgi-bin/message/send?access_token=bogus`, { touser: 'lisi', msgtype: 'text', agentid: Number(agentid), text: { content: 'x' } })).errcode, 40014);
  });

  await t.test('group bot webhook: key checked, 20 per minute', async () => {
    await j(api, 'POST', '/__reset');
    const key = api.config.webhook_key;
    assert.equal((await j(api, 'POST', '/cgi-bin/webhook/send?key=wrong', { msgtype: 'text', text: { content: 'x' } })).errcode, 93000);
    const codes = [];
    for (let i = 0; i < 21; i++) {
      codes.push((await j(api, 'POST', `/cgi-bin/webhook/send?key=${key}`, { msgtype: 'text', text: { content: `第${i}条` } })).errcode);
    }
    assert.deepEqual(codes.slice(0, 20), Array(20).fill(0));
    assert.equal(codes[20], 45009);
    await j(api, 'POST', '/__control', { advance_s: 61 });
    assert.equal((await j(api, 'POST', `/cgi-bin/webhook/send?key=${key}`, { msgtype: 'text', text: { content: 'again' } })).errcode, 0);
  });

  await t.test('scripted failure for the next call', async () => {
    const { access_token: tok } = await j(api, 'POST', '/cgi-bin/stable_token',
      { grant_type: 'client_credential', appid, secret });
    await j(api, 'POST', '/__control', { fail_next: [{ path: '/cgi-bin/message/custom/send', errcode: 45009 }] });
    const path = `/cgi-bin/message/custom/send?access_token=${tok}`;
    const body = { touser: 'oC', msgtype: 'text', text: { content: 'x' } };
    assert.equal((await j(api, 'POST', path, body)).errcode, 45009);
    assert.equal((await j(api, 'POST', path, body)).errcode, 0);
  });
});
