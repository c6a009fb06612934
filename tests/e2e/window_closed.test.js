// e2e: a late reply to a WeChat resident whose 48 h customer-service window has closed (45015),
// for a tenant WITHOUT wechat.template_id. The reply cannot reach the resident any more, so the
// bot must not just drop it: the resident's village group gets one note asking an agent to get
// in touch — and, since personal details never go to a group, the note carries none of the
// reply's content. Runs its own daiban (own_server.js) with such a tenant, its own fake WeChat
// API and a hook bridge receiver; needs DAIBAN_BIN, DAIBAN_E2E_CONFIG and DAIBAN_E2E_SLOW_TEXT
// (the marker of a build with test hooks: the handler can be made to miss the reply budget).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fake = require('./fake_wechat_api');
const own = require('./own_server');
const p = require('./wechat_peer');

const skip = own.missing || (!own.e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set (needs a build with test hooks)');
const HOOK_SECRET = 'e2e-window-closed-hook-secret';
// The slow text is a real question with a substantive answer (the materials for 低保), so "the
// note names none of the reply's content" checks something.
const SLOW_TEXT = '低保需要什么材料';
const SLOW_ENV = { DAIBAN_TEST_SLOW_TEXT: SLOW_TEXT, DAIBAN_TEST_SLOW_MS: '2000' };
const REPLY_BUDGET_MS = 1000; // well below the slow handler's 2 s: its reply becomes a push

// What a resident would read in a customer-service message.
function readable(send) {
  const b = send.body;
  if (b.msgtype === 'text') return b.text.content;
  if (b.msgtype === 'news') return b.news.articles.map((a) => `${a.title}\n${a.description}`).join('\n');
  return '';
}

async function control(api, body) {
  const r = await fetch(`${api.url}/__control`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
}

// Binds `user` to `village` ("我是黄花岭村的") and checks the bot says so.
async function bind(server, tenantId, user, village) {
  const r = await own.postPlain(server.url, tenantId, own.textXml(user, `我是${village.name}的`), user);
  assert.equal(r.status, 200);
  assert.ok(p.isReplyXml(r.text), r.text);
  assert.ok(p.field(r.text, 'Content').includes(village.name), p.field(r.text, 'Content'));
}

test('48 h window closed and no template_id: one note to the village group asks an agent to contact the resident, without the reply', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const tenantId = own.freshTenantId('nt');
  const tenant = own.tenantLike(tenantId, api.url);
  tenant.wechat.reply_budget_ms = REPLY_BUDGET_MS;
  delete tenant.wechat.template_id;
  delete tenant.wecom;
  tenant.hook = { secret: HOOK_SECRET, callback_url: `${hooks.url}/callback` };
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.group && v.agents.length) || assert.fail('no village with a group');
  const server = await own.startDaiban({ tenants: [tenant], env: SLOW_ENV });
  try {
    // Two residents of the same village; only the second one's window is closed.
    const open = p.openid();
    const closed = p.openid();
    await bind(server, tenantId, open, village);
    await bind(server, tenantId, closed, village);
    await control(api, { close_window: closed });

    // The reply as a resident with an open window gets it: a late one, by customer-service message.
    assert.equal((await own.postPlain(server.url, tenantId, own.textXml(open, SLOW_TEXT), open)).text, 'success');
    const toOpen = await own.until(() => {
      const s = api.sent().filter((x) => x.path === '/cgi-bin/message/custom/send' && x.body.touser === open);
      return s.length ? s : null;
    }, 10000);
    assert.ok(toOpen, 'the open-window resident got the late reply');
    const reply = toOpen.map(readable).join('\n');
    assert.ok(reply.length > 0);

    // The same question from the resident whose window closed.
    assert.equal((await own.postPlain(server.url, tenantId, own.textXml(closed, SLOW_TEXT), closed)).text, 'success');
    const forGroup = () => hooks.calls.filter((c) => c.body && c.body.replies.some((r) => r.chat.type === 'group'));
    assert.ok(await own.until(() => forGroup().length > 0, 10000), `no note reached the village group; server log:\n${server.log().slice(-3000)}`);
    await own.sleep(1500); // time for a duplicate or a stray retry to show up

    // The resident got nothing (the platform refused once, 45015), and no template went out.
    const kf = api.requests().filter((q) => q.path === '/cgi-bin/message/custom/send' && q.body && q.body.touser === closed);
    assert.deepEqual(kf.map((q) => q.errcode), [45015], 'one attempt, refused with 45015');
    assert.equal(api.sent().filter((s) => s.body && s.body.touser === closed).length, 0);
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/template/send').length, 0, 'no template_id: no template message');

    // Exactly one note, to this resident's village group, signed like every hook callback.
    const notes = forGroup();
    assert.equal(notes.length, 1, JSON.stringify(notes.map((c) => c.body)));
    const note = notes[0];
    assert.equal(note.path, '/callback');
    const expectSig = `sha256=${crypto.createHmac('sha256', HOOK_SECRET).update(note.raw).digest('hex')}`;
    assert.equal(note.signature, expectSig);
    assert.equal(note.body.replies.length, 1);
    const [r] = note.body.replies;
    assert.deepEqual(r.chat, { type: 'group', id: village.group });
    // The village's agents are @-mentioned by their ids on the hook bridge.
    const agentIds = village.agents.map((a) => org.agents.find((x) => x.id === a).ids.hook).filter(Boolean);
    assert.deepEqual([...r.mention].sort(), [...agentIds].sort());
    assert.match(r.text, /联系/, 'asks an agent to get in touch');
    // Nothing of the reply, and not the resident's full OpenID, goes to the group.
    assert.ok(!r.text.includes(closed), 'the full OpenID is not posted to a group');
    for (const line of reply.split('\n').map((l) => l.trim()).filter((l) => l.length >= 4)) {
      assert.ok(!r.text.includes(line), `the note repeats the reply: "${line}"`);
    }
    // The open-window resident's reply caused no note.
    assert.equal(hooks.calls.length, 1, JSON.stringify(hooks.calls.map((c) => c.body)));
  } finally {
    await server.stop();
    await hooks.close();
    await api.close();
  }
});

// A tenant whose village groups are WeCom group bots (wecom.group_webhooks) and that has no hook
// bridge: the note goes through the group's webhook, @-mentioning the agents by WeCom userid.
test('48 h window closed, no template_id, village groups on WeCom group bots: the note goes through the group\'s webhook', { skip }, async () => {
  const webhookKey = `wh-${crypto.randomBytes(6).toString('hex')}`;
  const api = await fake.start({ port: 0, webhook_key: webhookKey });
  const tenantId = own.freshTenantId('ntw');
  const tenant = own.tenantLike(tenantId, api.url);
  tenant.wechat.reply_budget_ms = REPLY_BUDGET_MS;
  delete tenant.wechat.template_id;
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.group && v.agents.length) || assert.fail('no village with a group');
  tenant.wecom.group_webhooks = { [village.group]: webhookKey };
  const server = await own.startDaiban({ tenants: [tenant], env: SLOW_ENV });
  try {
    const closed = p.openid();
    await bind(server, tenantId, closed, village);
    await control(api, { close_window: closed });
    assert.equal((await own.postPlain(server.url, tenantId, own.textXml(closed, SLOW_TEXT), closed)).text, 'success');
    const refused = await own.until(() => api.requests().some((q) => q.path === '/cgi-bin/message/custom/send' && q.errcode === 45015), 10000);
    assert.ok(refused, 'the late reply was tried and refused with 45015');
    const notes = await own.until(() => {
      const s = api.sent().filter((x) => x.path === '/cgi-bin/webhook/send');
      return s.length ? s : null;
    }, 5000);
    assert.ok(notes, 'a note reached the village group through its webhook');
    assert.equal(notes.length, 1);
    assert.match(notes[0].body.text.content, /联系/);
    assert.ok(!notes[0].body.text.content.includes(closed), 'not the full OpenID');
    const wecomIds = village.agents.map((id) => org.agents.find((a) => a.id === id).ids.wecom).filter(Boolean);
    assert.deepEqual(notes[0].body.text.mentioned_list, wecomIds, 'the village agents, by WeCom userid');
  } finally {
    await server.stop();
    await api.close();
  }
});
