// e2e: a late reply to a WeChat resident whose 48 h customer-service window has closed although
// our record said it was open (WeChat answers 45015), for a tenant WITHOUT wechat.template_id.
// The reply cannot reach the resident any more, so the bot must not just drop it: it follows the
// one policy of bot/outbound/service_window.hpp, the same as for a push it saw coming:
// (1) the resident's contact agent (the village's first agent) is reachable privately (here on
// the hook bridge): the reply goes to them, privately, with its content, to pass on — no note to
// the village group; (2) no agent of the village can be reached privately (a tenant whose only
// staff channel is the official account, and agents without an OpenID): one note to the village
// group (here through its WeCom group bot) asks an agent to get in touch — and, since personal
// details never go to a group, the note carries none of the reply's content. Each test runs its
// own daiban (own_server.js) with such a tenant, its own fake WeChat API (and hook bridge
// receiver); needs DAIBAN_BIN, DAIBAN_E2E_CONFIG and DAIBAN_E2E_SLOW_TEXT (the marker of a build
// with test hooks: the handler can be made to miss the reply budget).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
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

// A copy of the tenant's data whose village `villageId` has agents without an id on `channel`:
// the test's own org, so the agents cannot be reached there. Returns the copy's directory.
function dataWithout(tenant, villageId, channel) {
  const from = path.resolve(own.SOURCE_DIR, tenant.data);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-wc-data-'));
  fs.cpSync(from, dir, { recursive: true });
  const org = JSON.parse(fs.readFileSync(path.join(dir, 'org.json'), 'utf8'));
  const village = org.villages.find((v) => v.id === villageId) || assert.fail(`no village ${villageId}`);
  for (const a of org.agents) if (village.agents.includes(a.id)) delete a.ids[channel];
  fs.writeFileSync(path.join(dir, 'org.json'), JSON.stringify(org, null, 2));
  return dir;
}

// Binds `user` to `village` ("我是黄花岭村的") and checks the bot says so.
async function bind(server, tenantId, user, village) {
  const r = await own.postPlain(server.url, tenantId, own.textXml(user, `我是${village.name}的`), user);
  assert.equal(r.status, 200);
  assert.ok(p.isReplyXml(r.text), r.text);
  assert.ok(p.field(r.text, 'Content').includes(village.name), p.field(r.text, 'Content'));
}

test('48 h window closed and no template_id, contact agent on the hook bridge: the reply is relayed to them privately, with its content, and no note goes to the village group', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const tenantId = own.freshTenantId('nt');
  const tenant = own.tenantLike(tenantId, api.url);
  tenant.wechat.reply_budget_ms = REPLY_BUDGET_MS;
  delete tenant.wechat.template_id;
  delete tenant.wecom; // staff channels: hook, wechat — the hook bridge comes first
  tenant.hook = { secret: HOOK_SECRET, callback_url: `${hooks.url}/callback` };
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.group && v.agents.length) || assert.fail('no village with a group');
  const agent = org.agents.find((a) => a.id === village.agents[0]) || assert.fail('no contact agent');
  assert.ok(agent.ids.hook, 'the contact agent has a hook id');
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
    const toAgent = () => hooks.calls.filter((c) => c.body && c.body.replies.some((r) => r.chat.type === 'private' && r.chat.id === agent.ids.hook));
    assert.ok(await own.until(() => toAgent().length > 0, 10000), `no relay reached the contact agent; server log:\n${server.log().slice(-3000)}`);
    await own.sleep(1500); // time for a duplicate, a group note or a stray retry to show up

    // The resident got nothing (the platform refused once, 45015), and no template went out.
    const kf = api.requests().filter((q) => q.path === '/cgi-bin/message/custom/send' && q.body && q.body.touser === closed);
    assert.deepEqual(kf.map((q) => q.errcode), [45015], 'one attempt, refused with 45015');
    assert.equal(api.sent().filter((s) => s.body && s.body.touser === closed).length, 0);
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/template/send').length, 0, 'no template_id: no template message');

    // Exactly one relay, privately to the contact agent, signed like every hook callback, with
    // the reply in it (the agent passes it on) but not the resident's OpenID.
    const relays = toAgent();
    assert.equal(relays.length, 1, JSON.stringify(relays.map((c) => c.body)));
    const call = relays[0];
    assert.equal(call.path, '/callback');
    const expectSig = `sha256=${crypto.createHmac('sha256', HOOK_SECRET).update(call.raw).digest('hex')}`;
    assert.equal(call.signature, expectSig);
    assert.match(call.body.idempotency_key, /:relay$/);
    assert.equal(call.body.replies.length, 1);
    const [r] = call.body.replies;
    assert.deepEqual(r.chat, { type: 'private', id: agent.ids.hook });
    assert.ok(r.text.startsWith(`${village.name}的一位居民（公众号用户…${closed.slice(-4)}）`), r.text);
    assert.ok(r.text.includes('请代为转告'), r.text);
    assert.ok(r.text.includes(`\n${reply}`), `the relay carries the reply: ${r.text}`);
    for (const c of hooks.calls) assert.ok(!c.raw.includes(closed), `the bridge saw the OpenID: ${c.raw}`);

    // No note to the village group: the agent who can pass the reply on already has it.
    const forGroup = hooks.calls.filter((c) => c.body && c.body.replies.some((x) => x.chat.type === 'group'));
    assert.deepEqual(forGroup.map((c) => c.body), [], 'no group note');
    // The open-window resident's reply caused nothing on the bridge.
    assert.equal(hooks.calls.length, 1, JSON.stringify(hooks.calls.map((c) => c.body)));
  } finally {
    await server.stop();
    await hooks.close();
    await api.close();
  }
});

// No agent of the village can be reached privately: a tenant whose village groups are WeCom
// group bots (wecom.group_webhooks) with no WeCom app (no agent_id: group bots cannot message a
// person) and no hook bridge, so its only staff channel is the official account, and the
// village's agents have no OpenID (the test's own copy of the data). The note goes through the
// group's webhook, @-mentioning the agents by WeCom userid, without the reply.
test('48 h window closed, no template_id, no agent reachable privately: one note through the village group\'s webhook asks an agent to get in touch, without the reply', { skip }, async () => {
  const webhookKey = `wh-${crypto.randomBytes(6).toString('hex')}`;
  const api = await fake.start({ port: 0, webhook_key: webhookKey });
  const tenantId = own.freshTenantId('ntw');
  const tenant = own.tenantLike(tenantId, api.url);
  tenant.wechat.reply_budget_ms = REPLY_BUDGET_MS;
  delete tenant.wechat.template_id;
  delete tenant.wecom.agent_id; // group bots only: staff channels are just the official account
  const village0 = own.orgOf(tenant).villages.find((v) => v.group && v.agents.length) || assert.fail('no village with a group');
  tenant.data = dataWithout(tenant, village0.id, 'wechat');
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.id === village0.id);
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
    assert.ok(notes, `a note reached the village group through its webhook; server log:\n${server.log().slice(-3000)}`);
    await own.sleep(1500); // time for a duplicate or a stray relay to show up
    assert.equal(api.sent().filter((x) => x.path === '/cgi-bin/webhook/send').length, 1, 'one note');
    const text = notes[0].body.text.content;
    assert.match(text, /联系/, 'asks an agent to get in touch');
    assert.ok(!text.includes(closed), 'not the full OpenID');
    assert.ok(!text.includes('请代为转告'), 'a note, not a relay');
    // Nothing of the reply goes to the group (its substantive lines would be the materials).
    assert.ok(!text.includes('材料'), `the note repeats the reply: ${text}`);
    const wecomIds = village.agents.map((id) => org.agents.find((a) => a.id === id).ids.wecom).filter(Boolean);
    assert.ok(wecomIds.length > 0);
    assert.deepEqual(notes[0].body.text.mentioned_list, wecomIds, 'the village agents, by WeCom userid');
    // Nobody was messaged privately: no app message, no customer-service message but the refused one.
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/send').length, 0, 'no WeCom app message');
    assert.equal(api.sent().filter((x) => x.path === '/cgi-bin/message/custom/send').length, 0, 'no customer-service message went out');
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/template/send').length, 0, 'no template');
  } finally {
    await server.stop();
    await api.close();
    fs.rmSync(tenant.data, { recursive: true, force: true });
  }
});
