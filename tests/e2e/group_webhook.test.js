// e2e: the bot speaks in a WeCom group through the group's bot webhook (wecom.group_webhooks,
// POST /cgi-bin/webhook/send?key=...), which WeCom limits to 20 messages in any 60 seconds. A
// burst of 25 new-case cards for one village group: 20 arrive at once, complete and correct,
// @-mentioning the owner by WeCom userid; the other 5 wait in the outbox until the first card is
// a minute old (not refused with 45009, not sent early), then arrive, each exactly once.
//
// Runs its own daiban (own_server.js) with a tenant whose village group has a webhook, against
// its own fake WeChat API (the fake's rolling 60 s budget is per instance): needs DAIBAN_BIN and
// DAIBAN_E2E_CONFIG. Takes a little over a minute: the limit is WeCom's and is not configurable.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const fake = require('./fake_wechat_api');
const own = require('./own_server');
const p = require('./wechat_peer');

const skip = own.missing;
const PER_MINUTE = 20; // WeCom's group-bot limit
const RESIDENTS = PER_MINUTE + 5;

function maxInWindow(times, windowS) {
  let best = 0;
  for (let i = 0; i < times.length; i++) best = Math.max(best, times.filter((t) => t >= times[i] && t < times[i] + windowS).length);
  return best;
}

const caseNumber = (text) => {
  const m = /#(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
};

test('WeCom group bot: a burst of 25 case cards — 20 at once, 5 a minute after the first, none refused, lost or doubled', { skip, timeout: 150000 }, async () => {
  const webhookKey = `wh-${crypto.randomBytes(6).toString('hex')}`;
  const api = await fake.start({ port: 0, webhook_key: webhookKey });
  const tenantId = own.freshTenantId('wh');
  const tenant = own.tenantLike(tenantId, api.url);
  tenant.wechat.reply_budget_ms = 4000;
  const org = own.orgOf(tenant);
  const catalog = JSON.parse(fs.readFileSync(path.join(tenant.data, 'catalog.json'), 'utf8'));
  const village = org.villages.find((v) => v.group && v.agents.length) || assert.fail('no village with a group');
  const owner = org.agents.find((a) => a.id === village.agents[0]);
  const item = catalog.services.find((s) => s.id === 'dibao');
  tenant.wecom.group_webhooks = { [village.group]: webhookKey };
  const server = await own.startDaiban({ tenants: [tenant] });
  try {
    // 25 residents of the village each open a case (我是黄花岭村的，想办低保), five at a time.
    const users = Array.from({ length: RESIDENTS }, () => p.openid());
    for (let i = 0; i < users.length; i += 5) {
      await Promise.all(users.slice(i, i + 5).map(async (u) => {
        const r = await own.postPlain(server.url, tenantId, own.textXml(u, `我是${village.name}的，想办低保`), u);
        assert.equal(r.status, 200, r.text);
      }));
    }

    const webhookSends = () => api.sent().filter((s) => s.path === '/cgi-bin/webhook/send');
    const webhookRequests = () => api.requests().filter((q) => q.path === '/cgi-bin/webhook/send');
    assert.ok(await own.until(() => webhookSends().length >= PER_MINUTE, 20000),
      `only ${webhookSends().length} cards arrived; server log:\n${server.log().slice(-3000)}`);
    const firstMs = Date.now(); // no later than the first card (the fake's clock has seconds only)
    assert.ok(await own.until(async () => (await own.outboxDepth(server.url, tenantId, 'delayed')) === RESIDENTS - PER_MINUTE, 5000),
      `outbox delayed depth ${await own.outboxDepth(server.url, tenantId, 'delayed')}, expected ${RESIDENTS - PER_MINUTE}`);

    // The other 5 are parked, intact, for the group, due when the first card is a minute old
    // (not early, and not a whole extra minute late); a deferral is not a failed attempt.
    const parked = await own.redisCommand('ZRANGE', `dbn:{${tenantId}}:outbox:delayed`, '0', '-1', 'WITHSCORES');
    const firstSentS = Math.min(...webhookSends().map((s) => s.at));
    assert.equal(parked.length / 2, RESIDENTS - PER_MINUTE);
    for (let i = 0; i < parked.length; i += 2) {
      const member = JSON.parse(parked[i]);
      const due = Number(parked[i + 1]);
      assert.ok(due >= firstSentS * 1000 + 60000 - 1000 && due <= firstMs + 60000 + 2000,
        `due ${new Date(due).toISOString()}, first card at ${new Date(firstSentS * 1000).toISOString()}`);
      assert.equal(member.a, 0, 'a deferral is not a failed attempt');
      const push = JSON.parse(member.p);
      assert.equal(push.channel, 'wecom');
      assert.deepEqual(push.reply.chat, { type: 'group', id: village.group });
      assert.ok(push.reply.text.includes(village.name));
    }

    // A minute later the rest arrive.
    assert.ok(await own.until(() => webhookSends().length >= RESIDENTS, 80000),
      `${webhookSends().length} of ${RESIDENTS} cards arrived; server log:\n${server.log().slice(-3000)}`);
    await own.sleep(2000); // room for a 26th send, which must not come
    const sends = webhookSends();
    const asked = webhookRequests();
    assert.equal(sends.length, RESIDENTS);
    assert.deepEqual(asked.map((q) => q.errcode), Array(asked.length).fill(0), 'no webhook call refused (45009)');
    assert.ok(maxInWindow(asked.map((q) => q.at), 60) <= PER_MINUTE, 'never more than 20 in 60 s');
    assert.equal(await own.outboxDepth(server.url, tenantId, 'dead'), 0, 'nothing dead-lettered');
    assert.equal(await own.outboxDepth(server.url, tenantId, 'delayed'), 0, 'nothing left waiting');

    // Each card: its own case, the village, the item, the owner @-mentioned by WeCom userid;
    // nothing about the resident.
    const numbers = [];
    for (const s of sends) {
      assert.equal(s.query.key, webhookKey);
      assert.equal(s.body.msgtype, 'text');
      const text = s.body.text.content;
      assert.ok(text.includes(village.name), text);
      assert.ok(text.includes(item.name), text);
      assert.ok(text.includes(owner.name), text);
      for (const u of users) assert.ok(!text.includes(u), 'no OpenID in a group');
      assert.deepEqual(s.body.text.mentioned_list, [owner.ids.wecom], 'the owner, by WeCom userid');
      numbers.push(caseNumber(text));
    }
    assert.equal(new Set(numbers).size, RESIDENTS, `every case card exactly once: ${numbers.sort((a, b) => a - b)}`);
  } finally {
    await server.stop();
    await api.close();
  }
});
