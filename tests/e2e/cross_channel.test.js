// e2e: replies that must leave on another channel than the turn's. A tenant runs several channels
// at once: residents write to the official account (OpenIDs), agents work in group chats on the
// hook bridge or WeCom. (1) An agent closes a WeChat resident's case from the village group on
// the hook bridge: the resident's notice must not come back in the hook's HTTP response (the
// bridge cannot reach an OpenID) but go to the resident as a customer-service message, once, even
// when the bridge retries its request. (2) A tenant on WeCom only: the deadline patrol's 催办
// reaches the case owner as a WeCom app message to their userid (there is no hook bridge to go
// through). Each test runs its own daiban (own_server.js) with its own fake WeChat/WeCom API;
// needs DAIBAN_BIN, DAIBAN_E2E_CONFIG and DAIBAN_E2E_SLOW_TEXT (the marker of a build with test
// hooks: the second test moves the bot's clock with POST /test/clock).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fake = require('./fake_wechat_api');
const own = require('./own_server');
const p = require('./wechat_peer');

const skip = own.missing || (!own.e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set (needs a build with test hooks)');
const HOOK_SECRET = 'e2e-cross-channel-hook-secret';
const OPEN_CASE = '我妈住院了，想办民政二次救助';

function caseNumber(text) {
  const m = /编号 (\d+)/.exec(text || '');
  return m ? m[1] : '';
}

// A signed JSON-hook request, as a bridge posts what an agent typed in a group.
const hookSay = (server, tenantId, message) => own.hookSay(server.url, tenantId, HOOK_SECRET, message);

// A resident's text to the official account (plain mode); returns the passive reply's text.
async function oaSay(server, tenantId, user, text) {
  const r = await own.postPlain(server.url, tenantId, own.textXml(user, text), user);
  assert.equal(r.status, 200);
  assert.ok(p.isReplyXml(r.text), r.text);
  return p.field(r.text, 'Content');
}

// A WeCom member's text to the self-built app; returns the (decrypted) passive reply's text.
async function wecomSay(server, tenantId, user, text) {
  const xml = `${p.oaXml({ from: user, to: own.e2e.wecom.corp_id, type: 'text', id: p.msgId(), fields: { Content: text } }).replace('</xml>', '')}<AgentID>${own.e2e.wecom.agent_id}</AgentID></xml>`;
  const r = await p.postWecom(xml, { server: server.url, tenant: tenantId });
  assert.equal(r.status, 200, r.text);
  return p.field(p.openWecomReply(r.text).xml, 'Content');
}

const customSends = (api, openid) => api.sent().filter((s) => s.path === '/cgi-bin/message/custom/send' && s.body.touser === openid);

test('an agent closes a WeChat resident\'s case from the hook group: the notice goes to the resident by customer-service message — not in the hook response', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const tenantId = own.freshTenantId('xc');
  const tenant = own.tenantLike(tenantId, api.url);
  delete tenant.wecom;
  tenant.hook = { secret: HOOK_SECRET, callback_url: `${hooks.url}/callback` };
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.id === 'hhl') || assert.fail('demo village hhl');
  const agent = org.agents.find((a) => a.id === village.agents[0]);
  const server = await own.startDaiban({ tenants: [tenant] });
  try {
    const resident = p.openid();
    assert.ok((await oaSay(server, tenantId, resident, `我是${village.name}的`)).includes(village.name));
    const opened = await oaSay(server, tenantId, resident, OPEN_CASE);
    const n = caseNumber(opened);
    assert.ok(n, `no case number in: ${opened}`);

    // The owner closes it in the village group, through the bridge.
    const request = { id: `m-${crypto.randomBytes(6).toString('hex')}`, group: village.group, from: agent.ids.hook, text: `办结 ${n} 救助金已到账` };
    const res = await hookSay(server, tenantId, request);
    assert.equal(res.duplicate, false);
    // The agent is answered in the group...
    assert.ok(res.replies.some((r) => r.chat.type === 'group' && r.chat.id === village.group && r.text.includes(`#${n}`)), JSON.stringify(res));
    // ...and nothing addressed to the resident rides back on the bridge.
    assert.ok(!JSON.stringify(res).includes(resident), `the hook response carries the resident's OpenID: ${JSON.stringify(res)}`);

    // The resident gets the notice (and the rating question) on the official account.
    const sent = await own.until(() => {
      const s = customSends(api, resident);
      return s.length ? s : null;
    }, 10000);
    assert.ok(sent, `no customer-service message reached the resident; server log:\n${server.log().slice(-3000)}`);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].body.msgtype, 'text');
    assert.match(sent[0].body.text.content, new RegExp(`#${n}「.*」已办结：救助金已到账`));
    assert.match(sent[0].body.text.content, /打个分/);

    // The bridge retries the same request (its first answer was lost): nothing runs or is sent
    // again; the retry gets the answer the first delivery had.
    const again = await hookSay(server, tenantId, request);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.replies, res.replies);
    await own.sleep(1500);
    assert.equal(customSends(api, resident).length, 1, 'one notice, not two');
    // Nor did it go to the bridge's callback (an OpenID there reaches no one).
    const toResident = hooks.calls.filter((c) => c.body && c.body.replies.some((r) => r.chat.id === resident));
    assert.deepEqual(toResident, []);
    // The bridge did get the case card for the village group, and nothing it got names the
    // resident's OpenID (not even a push's idempotency key).
    assert.ok(hooks.calls.some((c) => c.body && c.body.replies.some((r) => r.chat.id === village.group)), 'no case card reached the bridge');
    for (const c of hooks.calls) assert.ok(!JSON.stringify(c.body).includes(resident), `the bridge saw the OpenID: ${JSON.stringify(c.body)}`);
  } finally {
    await server.stop();
    await hooks.close();
    await api.close();
  }
});

test('a tenant on WeCom only: the deadline patrol\'s 催办 reaches the case owner by WeCom app message', { skip }, async () => {
  const webhookKey = `wh-${crypto.randomBytes(6).toString('hex')}`;
  const api = await fake.start({ port: 0, webhook_key: webhookKey });
  const tenantId = own.freshTenantId('xw');
  const tenant = own.tenantLike(tenantId, api.url);
  delete tenant.wechat;
  delete tenant.hook;
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.id === 'hhl') || assert.fail('demo village hhl');
  const owner = org.agents.find((a) => a.id === village.agents[0]);
  // The village group is a WeCom group bot, so the case card has somewhere to go.
  tenant.wecom.group_webhooks = { [village.group]: webhookKey };
  const server = await own.startDaiban({ tenants: [tenant] });
  try {
    const resident = `res_${crypto.randomBytes(4).toString('hex')}`;
    assert.ok((await wecomSay(server, tenantId, resident, `我是${village.name}的`)).includes(village.name));
    const opened = await wecomSay(server, tenantId, resident, OPEN_CASE);
    const n = caseNumber(opened);
    assert.ok(n, `no case number in: ${opened}`);
    const due = await own.redisCommand('HGET', `dbn:{${tenantId}}:case:${n}`, 'due');
    assert.match(due, /^\d{4}-\d{2}-\d{2}$/);

    // The bot's clock to 09:00:30 (UTC+8) of the due date: the day's patrol runs and, the case
    // being due within two working days, reminds its owner.
    const [y, m, d] = due.split('-').map(Number);
    const r = await fetch(`${server.url}/test/clock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ now_ms: Date.UTC(y, m - 1, d, 1, 0, 30) }),
    });
    assert.equal(r.status, 200);

    const reminders = await own.until(() => {
      const s = api.sent().filter((x) => x.path === '/cgi-bin/message/send' && x.body.text && x.body.text.content.includes('催办'));
      return s.length ? s : null;
    }, 15000);
    assert.ok(reminders, `no 催办 reached WeCom; server log:\n${server.log().slice(-3000)}`);
    assert.equal(reminders.length, 1);
    assert.equal(reminders[0].body.touser, owner.ids.wecom, 'the owner, by WeCom userid');
    assert.equal(String(reminders[0].body.agentid), own.e2e.wecom.agent_id);
    assert.match(reminders[0].body.text.content, new RegExp(`#${n}`));
    // Recorded once in the case history.
    const history = await own.redisCommand('LRANGE', `dbn:{${tenantId}}:case:${n}:history`, '0', '-1');
    assert.equal(history.filter((e) => e.includes('deadline:soon')).length, 1, history.join('\n'));
  } finally {
    await server.stop();
    await api.close();
  }
});
