// e2e: a reminder the bot starts itself (a durable timer: the appointment's evening-before
// reminder) for a resident on the official account whose last message is more than 48 h old —
// WeChat's customer-service window has closed — and a tenant WITHOUT wechat.template_id. The bot
// must not send it to the resident (WeChat would refuse it); it relays it privately to the
// resident's contact agent (the first agent of the resident's village) on the first channel the
// tenant and the agent share (outbound::staff_channels: hook bridge, WeCom app message, official
// account), as "<who>已超过48小时没有联系…请代为转告：" followed by the reminder (bot/outbound/service_window.cpp). A
// resident of the same village who wrote within 48 h gets the same kind of reminder directly, by
// customer-service message (the control: the reminder fires, and the window is what decides).
// (1) a hook + WeChat tenant: the relay goes through the hook bridge; (2) a WeChat + WeCom tenant
// without a hook bridge: the relay goes as a WeCom app message to the agent's userid; (3) as (1),
// for a closed case's follow-up (回访), the resident named by their case.
// Each test runs its own daiban (own_server.js) with the bot's clock set by DAIBAN_TEST_NOW and
// moved by POST /test/clock; needs DAIBAN_BIN, DAIBAN_E2E_CONFIG and DAIBAN_E2E_SLOW_TEXT (the
// marker of a build with test hooks).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fake = require('./fake_wechat_api');
const own = require('./own_server');
const p = require('./wechat_peer');

const skip = own.missing || (!own.e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set (needs a build with test hooks)');
const HOOK_SECRET = 'e2e-service-window-relay-secret';
const RELAY_PREFIX = '请代为转告';

// The agent must be able to tell who is meant, and the relay travels over the bridge or WeCom:
// the resident is named by village and the last characters of their account id (they gave no
// name and opened no case), never by the full OpenID.
function assertNamesResident(text, resident, villageName) {
  assert.ok(!text.includes(resident), `the relay carries the full OpenID: ${text}`);
  assert.ok(text.startsWith(`${villageName}的一位居民（公众号用户…${resident.slice(-4)}）已超过48小时没有联系`), text);
  assert.ok(text.includes(RELAY_PREFIX), text);
}

// Unix ms of a wall-clock time in Faku (UTC+8).
const china = (y, m, d, hh, mm = 0, ss = 0) => Date.UTC(y, m - 1, d, hh - 8, mm, ss);
// Monday 2026-12-07 10:00: residents bind and book a slot on Thursday 12-10 at 10:00 in the
// township hall (法库镇便民服务中心, the office of 医疗报销 for village hhl's township).
const START = china(2026, 12, 7, 10, 0);
const BOOK = '12月10日上午10点去镇上办医疗报销';
const SLOT = '12月10日（周四）上午10:00';
// The control resident writes again on Tuesday 12-08 at 12:00 (30 h before the reminder).
const CONTROL_WRITES = china(2026, 12, 8, 12, 0);
// The evening-before reminder is due on Wednesday 12-09 at 18:00: 56 h after the first
// resident's last message (12-07 ~10:00), beyond the 48 h window.
const EVE_DUE = china(2026, 12, 9, 18, 0);
// What the resident would have read (handlers/texts/zh-Hans.json remind_appt_eve).
const REMINDER = '提醒：您明天上午10:00在法库镇便民服务中心（法库镇黄花岭路18号）办“医疗费用报销';

async function setClock(server, nowMs) {
  const r = await fetch(`${server.url}/test/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ now_ms: nowMs }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).now_ms;
}

// The bot's own time (unix s): WeChat's signed timestamp is checked against it.
async function botNow(server) {
  const r = await fetch(`${server.url}/test/clock`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ advance_ms: 0 }),
  });
  assert.equal(r.status, 200);
  return Math.floor((await r.json()).now_ms / 1000);
}

// A resident's text to the official account (plain mode, signed with the bot's time); returns
// what the resident reads: the passive reply, or — when the reply missed the reply budget on a
// loaded machine — the customer-service message it became.
async function oaSay(server, api, tenantId, user, text) {
  const ts = await botNow(server);
  const before = api.sent().length;
  const xml = p.oaXml({ from: user, time: ts, type: 'text', id: p.msgId(), fields: { Content: text } });
  const r = await p.send('POST', `${server.url}/wechat/${tenantId}?${new URLSearchParams(p.plainParams(user, String(ts)))}`, xml);
  assert.equal(r.status, 200, r.text);
  if (r.text !== 'success') {
    assert.ok(p.isReplyXml(r.text), r.text);
    return p.field(r.text, 'Content');
  }
  const late = await own.until(() => {
    const s = api.sent().slice(before).filter((x) => x.path === '/cgi-bin/message/custom/send' && x.body.touser === user);
    return s.length ? s : null;
  }, 10000);
  assert.ok(late, `no reply to "${text}"; server log:\n${server.log().slice(-3000)}`);
  return late.map((s) => (s.body.text ? s.body.text.content : '')).join('\n');
}

// Binds `user` to `village` and books the Thursday 10:00 slot; returns the appointment id.
async function bindAndBook(server, api, tenantId, user, village, agent) {
  const bound = await oaSay(server, api, tenantId, user, `我是${village.name}的`);
  assert.ok(bound.includes(village.name) && bound.includes(agent.name), bound);
  const offer = await oaSay(server, api, tenantId, user, BOOK);
  const line = offer.split('\n').find((l) => l.includes(SLOT));
  assert.ok(line, `the 10:00 slot is not offered: ${offer}`);
  const booked = await oaSay(server, api, tenantId, user, /^(\d+)\./.exec(line)[1]);
  assert.ok(booked.includes('预约好了') && booked.includes(SLOT), booked);
  const id = await own.redisCommand('SRANDMEMBER', `dbn:{${tenantId}}:appt:mine:${user}`);
  assert.ok(id, 'the booking is stored');
  return id;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const customSends = (api, openid, from = 0) => api.sent().slice(from).filter((s) => s.path === '/cgi-bin/message/custom/send' && s.body.touser === openid);
const customTries = (api, openid, from = 0) => api.requests().slice(from).filter((q) => q.path === '/cgi-bin/message/custom/send' && q.body && q.body.touser === openid);

function demoVillage(tenant) {
  const org = own.orgOf(tenant);
  const village = org.villages.find((v) => v.id === 'hhl') || assert.fail('demo village hhl');
  const agent = org.agents.find((a) => a.id === village.agents[0]) || assert.fail('hhl has an agent');
  return { org, village, agent };
}

// Both residents booked; the control writes again at CONTROL_WRITES; then the bot's clock goes
// to just after the evening reminder's due time. Returns the baselines taken before that move.
async function toReminderTime(server, api, tenantId, control) {
  await setClock(server, CONTROL_WRITES);
  await oaSay(server, api, tenantId, control, '你好');
  const marks = { sent: api.sent().length, requests: api.requests().length };
  await setClock(server, EVE_DUE + 30 * 1000);
  return marks;
}

// The control (last message 30 h ago) is reminded directly: the reminder fires and the window
// decides. Returns its customer-service messages.
async function controlReminded(server, api, control, marks) {
  const sends = await own.until(() => {
    const s = customSends(api, control, marks.sent).filter((x) => x.body.text && x.body.text.content.startsWith('提醒：'));
    return s.length ? s : null;
  }, 15000);
  assert.ok(sends, `the in-window resident got no reminder; server log:\n${server.log().slice(-4000)}`);
  return sends;
}

// A hook + WeChat tenant without template_id; its staff channels are hook, wechat: the hook
// bridge comes first.
function hookWechatTenant(prefix, api, hooks) {
  const tenantId = own.freshTenantId(prefix);
  const tenant = own.tenantLike(tenantId, api.url);
  delete tenant.wecom;
  delete tenant.wechat.template_id;
  tenant.wechat.reply_budget_ms = 4000;
  tenant.hook = { secret: HOOK_SECRET, callback_url: `${hooks.url}/callback` };
  return { tenantId, tenant };
}

test('48 h window closed, no template_id, hook + WeChat tenant: the reminder is relayed privately to the village agent on the hook bridge, once — not sent to the resident', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const { tenantId, tenant } = hookWechatTenant('swr', api, hooks);
  const { village, agent } = demoVillage(tenant);
  assert.ok(agent.ids.hook, 'the agent has a hook id');
  const server = await own.startDaiban({ tenants: [tenant], env: { DAIBAN_TEST_NOW: String(START / 1000) } });
  try {
    const resident = p.openid(); // silent since booking: 56 h at the reminder
    const control = p.openid(); // writes again 30 h before the reminder
    const apptId = await bindAndBook(server, api, tenantId, resident, village, agent);
    await bindAndBook(server, api, tenantId, control, village, agent);
    const hookBaseline = hooks.calls.length;

    const marks = await toReminderTime(server, api, tenantId, control);
    const direct = await controlReminded(server, api, control, marks);
    assert.equal(direct.length, 1);
    assert.ok(direct[0].body.text.content.startsWith(REMINDER), direct[0].body.text.content);

    // The closed-window resident's reminder reaches the village's first agent, privately, on
    // the hook bridge.
    const toAgent = () => hooks.calls.slice(hookBaseline).filter((c) => c.body && c.body.replies.some((r) => r.chat.type === 'private' && r.chat.id === agent.ids.hook));
    const relayed = await own.until(() => (toAgent().length ? toAgent() : null), 15000);
    assert.ok(relayed, `no relay reached the agent on the hook bridge; server log:\n${server.log().slice(-4000)}`);
    await own.sleep(1500); // time for a duplicate or a stray send to show up

    assert.equal(toAgent().length, 1, 'one relay, not two');
    const call = relayed[0];
    assert.equal(call.path, '/callback');
    assert.equal(call.signature, `sha256=${crypto.createHmac('sha256', HOOK_SECRET).update(call.raw).digest('hex')}`);
    assert.equal(call.body.replies.length, 1);
    const [r] = call.body.replies;
    assert.deepEqual(r.chat, { type: 'private', id: agent.ids.hook });
    assertNamesResident(r.text, resident, village.name);
    // Nothing on the bridge names the resident's OpenID.
    for (const c of hooks.calls) assert.ok(!c.raw.includes(resident), `the bridge saw the OpenID: ${c.raw}`);
    assert.ok(r.text.includes(`\n${REMINDER}`), `the relay carries the reminder: ${r.text}`);
    assert.ok(r.text.includes('医疗费用报销'), r.text);
    assert.match(call.body.idempotency_key, /:relay$/);
    // Nothing else went to the bridge meanwhile (not the reminder to the resident's OpenID, not
    // the control's reminder).
    assert.equal(hooks.calls.length - hookBaseline, 1, JSON.stringify(hooks.calls.slice(hookBaseline).map((c) => c.body)));

    // The resident was not tried at all (no customer-service message, no 45015), and there is
    // no template to fall back on.
    assert.deepEqual(customTries(api, resident, marks.requests), [], 'no customer-service message to the closed-window resident');
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/template/send').length, 0);
    // The control got exactly its one reminder.
    assert.equal(customSends(api, control, marks.sent).length, 1);
    // The firing was done, with one push (the relay), and the evening reminder is gone.
    assert.match(server.log(), new RegExp(escapeRe(`event=timer_fired tenant=${tenantId} id=appt:${apptId}:eve kind=appt_eve attempt=1 outcome=done pushes=1`)));
    assert.equal(await own.redisCommand('EXISTS', `dbn:{${tenantId}}:timer:appt:${apptId}:eve`), 0);
  } finally {
    await server.stop();
    await hooks.close();
    await api.close();
  }
});

test('48 h window closed, no template_id, WeChat + WeCom tenant without a hook bridge: the reminder is relayed as a WeCom app message to the village agent, once', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const tenantId = own.freshTenantId('swrw');
  const tenant = own.tenantLike(tenantId, api.url);
  delete tenant.hook; // staff channels: wecom (corp_id + agent_id), wechat
  delete tenant.wechat.template_id;
  tenant.wechat.reply_budget_ms = 4000;
  assert.ok(tenant.wecom && tenant.wecom.corp_id && tenant.wecom.agent_id, 'the e2e tenant has a WeCom app');
  const { village, agent } = demoVillage(tenant);
  assert.ok(agent.ids.wecom, 'the agent has a WeCom userid');
  const server = await own.startDaiban({ tenants: [tenant], env: { DAIBAN_TEST_NOW: String(START / 1000) } });
  try {
    const resident = p.openid();
    const control = p.openid();
    const apptId = await bindAndBook(server, api, tenantId, resident, village, agent);
    await bindAndBook(server, api, tenantId, control, village, agent);

    const marks = await toReminderTime(server, api, tenantId, control);
    const direct = await controlReminded(server, api, control, marks);
    assert.equal(direct.length, 1);

    const appMessages = () => api.sent().slice(marks.sent).filter((s) => s.path === '/cgi-bin/message/send');
    const relayed = await own.until(() => (appMessages().length ? appMessages() : null), 15000);
    assert.ok(relayed, `no WeCom app message reached the agent; server log:\n${server.log().slice(-4000)}`);
    await own.sleep(1500);

    assert.equal(appMessages().length, 1, 'one relay, not two');
    const [m] = relayed;
    assert.equal(m.body.touser, agent.ids.wecom, 'the agent, by WeCom userid');
    assert.equal(String(m.body.agentid), own.e2e.wecom.agent_id);
    assert.equal(m.body.msgtype, 'text');
    assertNamesResident(m.body.text.content, resident, village.name);
    assert.ok(m.body.text.content.includes(`\n${REMINDER}`), m.body.text.content);

    assert.deepEqual(customTries(api, resident, marks.requests), [], 'no customer-service message to the closed-window resident');
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/template/send').length, 0);
    assert.equal(customSends(api, control, marks.sent).length, 1);
    assert.match(server.log(), new RegExp(escapeRe(`event=timer_fired tenant=${tenantId} id=appt:${apptId}:eve kind=appt_eve attempt=1 outcome=done pushes=1`)));
  } finally {
    await server.stop();
    await api.close();
  }
});

// (3) The resident gave no name but has a case: the relay names them by village and their latest
// case. A follow-up (回访: handlers/deadlines.cpp arm_followup, two days after an agent's 办结,
// remind_followup_again) is a timer push like the evening reminder. A case opened over the
// official account carries no resident name (WeChat gives none: resident_name is the turn's
// from_name, which only the hook bridge fills in), so the label is relay_who_case_unnamed.
const OPEN_CASE = '我妈住院了，想办民政二次救助';
// Monday 2026-12-07 15:00: the agent closes the case, five hours after the resident last wrote
// (10:00); the follow-up is due on Wednesday 12-09 at 15:00, 53 h after the resident's last
// message.
const CLOSE = china(2026, 12, 7, 15, 0);
const FOLLOWUP_DUE = CLOSE + 2 * 86400 * 1000;

// A signed JSON-hook request (what an agent typed in a group, as the bridge posts it), stamped
// with the bot's time (the body's "time" is checked against it).
async function hookSay(server, tenantId, message) {
  return own.hookSay(server.url, tenantId, HOOK_SECRET, { ...message, time: await botNow(server) });
}

test('48 h window closed, no template_id, hook + WeChat tenant: a closed case\'s follow-up is relayed to the village agent naming the resident by their case, once — not sent to the resident', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const { tenantId, tenant } = hookWechatTenant('swrc', api, hooks);
  const { village, agent } = demoVillage(tenant);
  assert.ok(agent.ids.hook, 'the agent has a hook id');
  const server = await own.startDaiban({ tenants: [tenant], env: { DAIBAN_TEST_NOW: String(START / 1000) } });
  try {
    const resident = p.openid();
    const bound = await oaSay(server, api, tenantId, resident, `我是${village.name}的`);
    assert.ok(bound.includes(village.name), bound);
    const opened = await oaSay(server, api, tenantId, resident, OPEN_CASE);
    const n = (/编号 (\d+)/.exec(opened) || [])[1];
    assert.ok(n, `no case number in: ${opened}`);
    const caseKey = `dbn:{${tenantId}}:case:${n}`;
    const service = await own.redisCommand('HGET', caseKey, 'service_name');
    assert.ok(service && opened.includes(`“${service}”`), `${service} / ${opened}`);
    assert.ok(!(await own.redisCommand('HGET', caseKey, 'resident_name')), 'a case opened over WeChat carries no resident name');

    // Five hours later the owner closes it in the village group; the resident (window open) is
    // told and asked to rate by customer-service message.
    await setClock(server, CLOSE);
    const res = await hookSay(server, tenantId, { id: `m-${crypto.randomBytes(6).toString('hex')}`, group: village.group, from: agent.ids.hook, text: `办结 ${n} 救助金已到账` });
    assert.ok(res.replies.some((r) => r.chat.type === 'group' && r.chat.id === village.group && r.text.includes(`#${n}`)), JSON.stringify(res));
    const notice = await own.until(() => {
      const s = customSends(api, resident).filter((x) => x.body.text && x.body.text.content.includes('已办结'));
      return s.length ? s : null;
    }, 10000);
    assert.ok(notice, `the resident was not told the case is done; server log:\n${server.log().slice(-3000)}`);
    assert.match(notice[0].body.text.content, new RegExp(`#${n}「.*」已办结：救助金已到账`));
    assert.equal(await own.redisCommand('EXISTS', `dbn:{${tenantId}}:timer:case:${n}:followup`), 1, 'the follow-up is armed');

    // No rating: the bot's clock to just after the follow-up's due time, 53 h after the
    // resident's last message.
    // The case card (sent when the case was opened) is on the bridge before the baselines.
    assert.ok(await own.until(() => hooks.calls.some((c) => c.body && c.body.replies.some((x) => x.chat.id === village.group)), 10000), 'no case card reached the bridge');
    await own.sleep(500); // let the notice's delivery settle before the baselines
    const marks = { sent: api.sent().length, requests: api.requests().length, hooks: hooks.calls.length };
    await setClock(server, FOLLOWUP_DUE + 30 * 1000);

    const toAgent = () => hooks.calls.slice(marks.hooks).filter((c) => c.body && c.body.replies.some((r) => r.chat.type === 'private' && r.chat.id === agent.ids.hook));
    const relayed = await own.until(() => (toAgent().length ? toAgent() : null), 15000);
    assert.ok(relayed, `no relay reached the agent on the hook bridge; server log:\n${server.log().slice(-4000)}`);
    await own.sleep(1500); // time for a duplicate or a stray send to show up

    assert.equal(toAgent().length, 1, 'one relay, not two');
    const call = relayed[0];
    assert.equal(call.signature, `sha256=${crypto.createHmac('sha256', HOOK_SECRET).update(call.raw).digest('hex')}`);
    assert.equal(call.body.replies.length, 1);
    const [r] = call.body.replies;
    assert.deepEqual(r.chat, { type: 'private', id: agent.ids.hook });
    // relay_who_case_unnamed inside remind_relay, followed by remind_followup_again.
    const who = `${village.name}的一位居民（#${n}「${service}」的申请人）`;
    const followup = `打扰一下，您还没给“${service}”的代办服务打分，回1到5就行，谢谢！`;
    assert.ok(r.text.startsWith(`${who}已超过48小时没有联系`), r.text);
    assert.equal(r.text, `${who}已超过48小时没有联系，平台不能直接发给他，请代为转告：\n${followup}`);
    assert.match(call.body.idempotency_key, /:relay$/);
    assert.equal(hooks.calls.length - marks.hooks, 1, JSON.stringify(hooks.calls.slice(marks.hooks).map((c) => c.body)));
    for (const c of hooks.calls) assert.ok(!c.raw.includes(resident), `the bridge saw the OpenID: ${c.raw}`);

    // The resident was not tried (no customer-service message, no 45015), and there is no
    // template to fall back on.
    assert.deepEqual(customTries(api, resident, marks.requests), [], 'no customer-service message to the closed-window resident');
    assert.equal(api.requests().filter((q) => q.path === '/cgi-bin/message/template/send').length, 0);
    // The follow-up fired once, with one push (the relay), and is gone; the case records it.
    assert.match(server.log(), new RegExp(escapeRe(`event=timer_fired tenant=${tenantId} id=case:${n}:followup kind=followup attempt=1 outcome=done pushes=1`)));
    assert.equal(await own.redisCommand('EXISTS', `dbn:{${tenantId}}:timer:case:${n}:followup`), 0);
    const history = await own.redisCommand('LRANGE', `${caseKey}:history`, '0', '-1');
    assert.equal(history.filter((e) => e.includes('followup:reminded')).length, 1, history.join('\n'));
  } finally {
    await server.stop();
    await hooks.close();
    await api.close();
  }
});
