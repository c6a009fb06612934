// e2e: the bot dies after a resident's message was handled and recorded, but before the pushes
// the turn made (the case card for the village group) were queued. WeChat got no answer, so it
// delivers the message again, to the restarted bot: the retry must be answered with the first
// run's reply (the handler does not run twice: one case, not two) and the card must reach the
// village group, once. The crash is a test-build hook (DAIBAN_TEST_CRASH_BEFORE_PUSH: the exact
// text whose turn makes the process _Exit between recording and queueing).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fake = require('./fake_wechat_api');
const own = require('./own_server');
const p = require('./wechat_peer');

const skip = own.missing || (!own.e2e.slow_text && 'DAIBAN_E2E_SLOW_TEXT not set (needs a build with test hooks)');
const OPEN_CASE = '我妈住院了，想办民政二次救助';

const cardsFor = (hooks, group) =>
  hooks.calls.filter((c) => c.body && c.body.replies.some((r) => r.chat.type === 'group' && r.chat.id === group));

test('a crash between recording a turn and queueing its pushes: WeChat\'s retry gets the first reply and the group card goes out once', { skip }, async () => {
  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const tenantId = own.freshTenantId('crash');
  const tenant = own.tenantLike(tenantId, api.url);
  delete tenant.wecom;
  tenant.hook = { secret: `e2e-${crypto.randomBytes(6).toString('hex')}`, callback_url: `${hooks.url}/callback` };
  const village = own.orgOf(tenant).villages.find((v) => v.id === 'hhl') || assert.fail('demo village hhl');
  const resident = p.openid();
  // One message, delivered three times as WeChat does: same MsgId, fresh signature each time.
  const message = own.textXml(resident, OPEN_CASE);

  let server = await own.startDaiban({ tenants: [tenant], env: { DAIBAN_TEST_CRASH_BEFORE_PUSH: OPEN_CASE } });
  try {
    const bound = await own.postPlain(server.url, tenantId, own.textXml(resident, `我是${village.name}的`), resident);
    assert.equal(bound.status, 200);
    assert.ok(p.field(bound.text, 'Content').includes(village.name), bound.text);

    // First delivery: the bot records the turn and dies before queueing the card.
    let first = null;
    try {
      first = await own.postPlain(server.url, tenantId, message, resident);
    } catch {
      // the connection was cut: what WeChat sees when a server dies mid-request
    }
    assert.ok(!first || first.status !== 200, `the first delivery was answered: ${first && first.text}`);
    await server.stop();
    assert.deepEqual(cardsFor(hooks, village.group), [], 'a card went out before the crash');

    // WeChat's retry reaches the restarted bot.
    server = await own.startDaiban({ tenants: [tenant] });
    const retry = await own.postPlain(server.url, tenantId, message, resident);
    assert.equal(retry.status, 200, retry.text);
    const reply = p.field(retry.text, 'Content');
    const number = (/编号 (\d+)/.exec(reply) || [])[1];
    assert.ok(number, `the retry did not get the first run's reply: ${retry.text}`);

    const cards = await own.until(() => {
      const c = cardsFor(hooks, village.group);
      return c.length ? c : null;
    }, 10000);
    assert.ok(cards, `no case card reached the village group; server log:\n${server.log().slice(-3000)}`);
    assert.equal(cards.length, 1);
    assert.ok(JSON.stringify(cards[0].body).includes(`#${number}`), JSON.stringify(cards[0].body));

    // The third delivery changes nothing: same reply, no second card, no second case.
    const third = await own.postPlain(server.url, tenantId, message, resident);
    assert.equal(third.status, 200);
    assert.equal(p.field(third.text, 'Content'), reply);
    await own.sleep(1500);
    assert.equal(cardsFor(hooks, village.group).length, 1, 'one card, not two');
    assert.ok(!hooks.calls.some((c) => JSON.stringify(c.body).includes(`#${Number(number) + 1}`)), 'a second case was opened');
  } finally {
    await server.stop();
    await hooks.close();
    await api.close();
  }
});
