// e2e: the Wechaty bridge (bridge/) between village WeChat groups and the JSON hook, on
// wechaty-puppet-mock, against the real `daiban serve` (a hook tenant of its own whose
// callback_url is the bridge) and the e2e run's Redis. What villagers would see is asserted
// where they would see it — in the mocked rooms and private chats — and checked against the bot's
// own records in Redis:
//   a. 兰向军 (a seed story) reports his mother's medical relief in the 长梁村 room, @-mentioning
//      the bot: the case card appears in the room, its owner (the village agent) @-mentioned,
//      nothing personal in it; the agent claims it in the room, quoting the card;
//   b. photos from the room are filed under the material the bot asks for — inline up to 2 MiB,
//      by a tokened link beyond (the bot fetches it from the bridge); 12 MiB gets the bot's "too
//      large" and is not filed; a voice message is read by its recognised words; a private
//      message is answered privately;
//   c. an ID-card number typed in the room gets the privacy warning (room + private), and no
//      bridge log line carries it; an unknown room is ignored and logged once;
//   d. the deadline patrol (a durable timer; the bot's test clock moved to the due date and past
//      it) reaches the agent privately and the 四季镇 room through the callback;
//   e. callbacks: a bad signature is refused and says nothing; a duplicate is said once; a chat
//      without a room is refused (422); a burst to one room is said in order within the rate limit;
//   f. the puppet logs out, a push arrives and is queued on disk, the bridge is stopped, more
//      pushes come while it is down (the bot's outbox retries), a new bridge starts on the same
//      state and logs in: every push is said exactly once, and the bot's delivered pushes equal
//      the bridge's accepted ones (counted on both sides), nothing left in the bot's outbox.
// Needs DAIBAN_BIN and DAIBAN_E2E_CONFIG (run_e2e.js), a dev build (POST /test/clock).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const own = require('./own_server');

const skip = own.missing;
const HOOK_SECRET = 'bridge-e2e-hook-secret-0123456789';
// Monday 2026-12-07 10:00 in China (UTC+8): a working day, inside office hours.
const START = Date.UTC(2026, 11, 7, 2, 0);
const DAY = 86400000;

const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

// A JPEG the bot's file sniffing accepts: SOI/APP0 magic, `size` bytes in all, random inside.
function jpeg(size) {
  const b = crypto.randomBytes(size);
  b[0] = 0xff; b[1] = 0xd8; b[2] = 0xff; b[3] = 0xe0;
  b[size - 2] = 0xff; b[size - 1] = 0xd9;
  return b;
}

// An 18-digit ID-card number with a right check digit (GB 11643).
function idCardNumber() {
  const body = `210224${19650312}${String(100 + crypto.randomInt(800))}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

// Unix ms of a China (UTC+8) calendar day `days` (days since 1970-01-01) at hh:mm.
const chinaDayAt = (days, hh, mm = 0) => days * DAY + ((hh - 8) * 60 + mm) * 60000;
const chinaDays = (ms) => Math.floor((ms + 8 * 3600000) / DAY);

function signedCallback(url, body, secret = HOOK_SECRET) {
  const raw = JSON.stringify(body);
  const sig = `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Daiban-Signature': sig }, body: raw });
}

// The people and rooms of the mocked account (ids stable across a rebuild of the world).
const PEOPLE = [
  { key: 'lan', id: 'wxid_lanxiangjun', name: '兰向军' }, // a resident, unknown to org.json
  { key: 'jiang', id: 'wxid_jiangwenxiu', name: '文秀', alias: '蒋文秀' }, // a_cl_1, known by your remark
  { key: 'chen', id: 'wxid_chenguangrong', name: '陈光荣', alias: '陈光荣' }, // a_sj_sup
  { key: 'han', id: 'wxid_hanxuemei', name: '韩雪梅', alias: '韩雪梅' }, // a_admin
  { key: 'li', id: 'wxid_lichunsheng', name: '李春生', alias: '李春生' }, // a_hhl_1
  { key: 'wang', id: 'wxid_wangdefu', name: '王德福', alias: '王德福' }, // households of 黄花岭村
  { key: 'liu', id: 'wxid_liuyulan', name: '刘玉兰', alias: '刘玉兰' },
  { key: 'zhang', id: 'wxid_zhangguoqiang', name: '张国强', alias: '张国强' },
  { key: 'chenxy', id: 'wxid_chenxiuying', name: '陈秀英', alias: '陈秀英' },
  { key: 'sun', id: 'wxid_sunxiumei', name: '孙秀梅', alias: '孙秀梅' },
  { key: 'stranger', id: 'wxid_stranger', name: '路人甲' },
];
const HOUSEHOLDS = { wang: 'u_hhl_wang_defu', liu: 'u_hhl_liu_yulan', zhang: 'u_hhl_zhang_guoqiang', chenxy: 'u_hhl_chen_xiuying', sun: 'u_hhl_sun_xiumei' };
const ROOMS = [
  { key: 'cl', id: 'changliang-agents@chatroom', topic: '长梁村为民服务代理群', members: ['lan', 'jiang', 'stranger'] },
  { key: 'sj', id: 'sijizhen-staff@chatroom', topic: '四季镇代理员群', members: ['chen', 'jiang'] },
  { key: 'county', id: 'county-staff@chatroom', topic: '全县代理工作群', members: ['han', 'chen'] },
  { key: 'hhl', id: 'huanghualing@chatroom', topic: '黄花岭村代理群', members: ['li', 'wang', 'liu', 'zhang', 'chenxy', 'sun'] },
  { key: 'chat', id: 'xianliao@chatroom', topic: '老乡闲聊群', members: ['lan', 'stranger'] }, // not configured
];
const RATE = { per_chat: 4, per_account: 200, window_ms: 1500, min_gap_ms: 5 };

function bridgeConfig({ url, tenantId, port, stateDir }) {
  return {
    daiban: { url, tenant: tenantId, secret: HOOK_SECRET, retry_for_ms: 20000 },
    listen: `127.0.0.1:${port}`,
    state_dir: stateDir,
    rooms: [
      { group: 'g_cl', topic: '长梁村为民服务代理群' },
      { group: 'g_sj', id: 'sijizhen-staff@chatroom' },
      { group: 'g_county', topic: '全县代理工作群' },
      { group: 'g_hhl', topic: '黄花岭村代理群' },
    ],
    contacts: [
      { hook_id: 'u_agent_cl_1', alias: '蒋文秀' },
      { hook_id: 'u_agent_sj_sup', alias: '陈光荣' },
      { hook_id: 'u_agent_admin', alias: '韩雪梅' },
      { hook_id: 'u_agent_hhl_1', alias: '李春生' },
      ...Object.entries(HOUSEHOLDS).map(([k, id]) => ({ hook_id: id, alias: PEOPLE.find((p) => p.key === k).alias })),
    ],
    rate: RATE,
    log: 'debug',
  };
}

test('the Wechaty bridge: village rooms ⇄ the JSON hook, pushes through the callback, across restarts', { skip, timeout: 180000 }, async (t) => {
  const { buildWorld, startBridge } = require('./bridge_world');
  const { startDaiban, scanKeys, caseRecord } = require('./bridge_daiban');

  const port = await own.freePort();
  const tenantId = own.freshTenantId('wx');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-bridge-state-'));
  const demo = path.join(own.SOURCE_DIR, 'deploy/tenants/demo');
  const tenant = {
    id: tenantId,
    name: 'bridge e2e',
    data: demo,
    hook: { secret: HOOK_SECRET, callback_url: `http://127.0.0.1:${port}/callback`, max_age_s: 300 },
  };
  const org = JSON.parse(fs.readFileSync(path.join(demo, 'org.json'), 'utf8'));
  const agentCl = org.agents.find((a) => a.id === 'a_cl_1');
  const server = await startDaiban({ tenant, nowMs: START });
  // The bridge stamps hook requests with the bot's (moved) clock, as a bridge on a host whose
  // clock agrees with the bot's would.
  let offset = (await server.clock()) - Date.now();
  const clock = () => Date.now() + offset;
  const setBotClock = async (ms) => {
    const now = await server.clock({ now_ms: ms });
    offset = now - Date.now();
  };
  const config = bridgeConfig({ url: server.url, tenantId, port, stateDir });

  let world = buildWorld({ people: PEOPLE, rooms: ROOMS });
  let bridge = startBridge(world, config, { clock });
  // Every push the bridges accepted (key → replies) and every entry they said, across restarts.
  const accepted = [];
  const saidEntries = [];
  const hooks = [];
  const follow = (b) => {
    b.on('accepted', (entries) => accepted.push(...entries));
    b.on('said', (e) => saidEntries.push(e));
    b.on('hook', (h) => hooks.push(h));
  };
  follow(bridge);
  const wait = async (what, probe, ms = 15000) => {
    const v = await own.until(probe, ms, 50);
    assert.ok(v, `${what}; said so far:\n${world.said.map((s) => `  [${s.where}] ${s.text}`).join('\n')}\nbridge: ${JSON.stringify(bridge.status())}\nbot log:\n${server.log().slice(-2500)}`);
    return v;
  };
  // The first text said in `where` (from index `from` of world.said on) that matches `re`.
  const saidIn = (where, re, from = 0) => () => world.texts(where, from).find((x) => re.test(x));

  const testKeys = new Set(); // keys of callbacks this test posts itself
  let dupBody; // a callback said before the restart
  let caseNo;
  let caseRec;
  try {
    await bridge.start();
    assert.equal(bridge.callbackUrl, tenant.hook.callback_url);
    world.login();
    await wait('the bridge is logged in', () => bridge.status().logged_in);

    await t.test('a. 兰向军 reports in the 长梁村 room: the case card appears there, the agent claims it there', async () => {
      let mark = world.said.length;
      world.say('lan', '我妈住院了，想办民政二次救助', 'cl', { mentionBot: true });
      // Said in the 长梁村 room, he is of 长梁村: the case opens at once, no "哪个村".
      const card = await wait('the case card in the 长梁村 room', saidIn('cl', /【新代办】#\d+/, mark));
      assert.ok(!world.texts('cl', mark).some((x) => /哪个村/.test(x)), 'not asked for his village in his village\'s room');
      caseNo = /【新代办】#(\d+)/.exec(card)[1];
      assert.ok(card.startsWith('@文秀 '), `the owner is @-mentioned (by their WeChat name): ${card}`);
      assert.ok(card.includes('村：长梁村') && card.includes('办结时限') && card.includes(`负责：${agentCl.name}`), card);
      assert.ok(!card.includes('兰向军'), 'no personal details in the group card');
      await wait('the room tells 兰向军 his number', saidIn('cl', new RegExp(`^@兰向军 已受理，编号 #${caseNo}`), mark));
      // The checklist comes privately.
      const toLan = await wait('兰向军 gets the materials privately', saidIn('@lan', new RegExp(`编号 ${caseNo}（`), mark));
      assert.ok(toLan.includes('医疗救助') && toLan.includes('户口簿') && toLan.includes('出院小结') && toLan.includes(agentCl.name), toLan);
      caseRec = await caseRecord(tenantId, caseNo);
      assert.equal(caseRec.service, 'medical_relief');
      assert.equal(caseRec.village, 'cl');
      assert.equal(caseRec.owner, 'a_cl_1');
      assert.equal(caseRec.resident, 'hook:wx_wxid_lanxiangjun', 'the resident is the bridge\'s id for his WeChat contact');
      assert.equal(caseRec.resident_name, '兰向军');

      // The agent answers the card by quoting it (引用) and typing the command.
      mark = world.said.length;
      world.say('jiang', `「代办助手：${card}」\n- - - - - - - - - - - - - - -\n接单 ${caseNo}`, 'cl');
      await wait('已接单 in the room', saidIn('cl', new RegExp(`^@文秀 已接单 #${caseNo}`), mark));
      await wait('兰向军 hears who took it', saidIn('@lan', new RegExp(`#${caseNo}.*已由代理员${agentCl.name}接手`), mark));
      const claim = hooks.find((h) => h.body.text === `接单 ${caseNo}`);
      assert.ok(claim && claim.body.quote && claim.body.quote.from_name === '代办助手', 'the quote travels apart from the words');
      assert.equal((await caseRecord(tenantId, caseNo)).claimed_by, 'a_cl_1');
    });

    await t.test('b. photos from the room are filed under the material asked for (inline, and by link over 2 MiB); 12 MiB is refused', async () => {
      const filedUnder = async (hash) => {
        const rec = await caseRecord(tenantId, caseNo);
        return Object.entries(rec).filter(([k, v]) => /^m:.+:files$/.test(k) && v.split(',').includes(hash)).map(([k]) => k.slice(2, -6));
      };
      // A photo in the room, just after talking with the bot there (WeChat cannot @ with a
      // photo): the bot asks which material it is, in the room; the answer files it.
      const small = jpeg(40 * 1024);
      let mark = world.said.length;
      world.photo('lan', small, 'shenfenzheng.jpg', 'cl');
      await wait('the bot asks which material', saidIn('cl', /^@兰向军 这是哪一项？\n1\. 居民身份证/, mark));
      mark = world.said.length;
      world.say('lan', '1', 'cl');
      await wait('filed: 收到居民身份证', saidIn('cl', /^@兰向军 收到居民身份证。已收到 1\/5/, mark));
      assert.deepEqual(await filedUnder(sha256(small)), ['id_card']);
      const inlineHook = hooks.find((h) => h.body.type === 'image' && h.body.media.data);
      assert.ok(inlineHook && !inlineHook.body.media.url && inlineHook.body.mentions_bot === true, 'a small photo travels inline, addressed to the bot');
      assert.equal(Buffer.from(inlineHook.body.media.data, 'base64').length, small.length);

      // The bot now asks for the next item (下一项请发：户口簿). A 3 MiB photo — over the hook's
      // inline limit, so a link the bot fetches from the bridge — is filed under it.
      assert.ok(world.texts('cl').some((x) => x.includes('下一项请发：户口簿')));
      const big = jpeg(3 * 1024 * 1024);
      const served = bridge.status().media_served;
      mark = world.said.length;
      world.photo('lan', big, 'hukouben.jpg', 'cl');
      await wait('filed: 收到户口簿', saidIn('cl', /^@兰向军 收到户口簿。已收到 2\/5/, mark));
      assert.deepEqual(await filedUnder(sha256(big)), ['hukou_book'], 'the 3 MiB photo is filed, intact');
      const linkHook = hooks.find((h) => h.body.type === 'image' && h.body.media.url);
      assert.ok(linkHook, 'the large photo went as media.url');
      assert.match(linkHook.body.media.url, new RegExp(`^http://127\\.0\\.0\\.1:${port}/media/[0-9a-f]{24}\\?exp=\\d+&sig=[0-9a-f]{64}$`));
      assert.equal(bridge.status().media_served, served + 1, 'the bot fetched it from the bridge once');
      const forged = await fetch(linkHook.body.media.url.replace(/sig=[0-9a-f]{8}/, 'sig=00000000'));
      assert.equal(forged.status, 403, 'a link with a wrong token is refused');

      // 12 MiB, privately (as the bot asked): over the 10 MB the bot keeps — not forwarded,
      // and he is told.
      const huge = jpeg(12 * 1024 * 1024);
      const inboundBefore = bridge.status().inbound;
      mark = world.said.length;
      world.photo('lan', huge, 'too-big.jpg', null);
      const refused = await wait('兰向军 is told the file is too large', saidIn('@lan', /太大/, mark));
      assert.ok(refused.includes('10 MB'), refused);
      assert.equal(bridge.status().inbound, inboundBefore, 'no hook request for it');
      assert.deepEqual(await filedUnder(sha256(huge)), [], 'not filed');

      // A voice message whose words the puppet recognised: the agent's 待办 lists the case.
      mark = world.said.length;
      world.voice('jiang', '待办', 'cl');
      const todo = await wait('the agent\'s 待办 (by voice)', saidIn('cl', new RegExp(`^@文秀 ${agentCl.name}的待办`), mark));
      assert.ok(todo.includes(`#${caseNo}`), todo);
      assert.ok(hooks.some((h) => h.body.type === 'voice' && h.body.text === '待办' && h.body.media && h.body.media.data), 'sent as voice, with its words');

      // A private question is answered privately.
      mark = world.said.length;
      world.say('lan', '我的事办得怎么样了', null);
      const progress = await wait('兰向军 is answered privately', saidIn('@lan', new RegExp(`^#${caseNo} `), mark));
      assert.ok(progress.includes('还差材料') && !progress.includes('居民身份证、') && progress.includes('医疗费用发票'), progress);
      assert.ok(hooks.some((h) => h.body.chat.type === 'private' && h.body.chat.id === 'wx_wxid_lanxiangjun' && h.body.text === '我的事办得怎么样了'));
    });

    await t.test('c. an ID-card number in the room gets the privacy warning; an unknown room is ignored and logged once', async () => {
      const id = idCardNumber();
      const mark = world.said.length;
      world.say('lan', `我的身份证号是 ${id}，帮我查一下`, 'cl');
      const warning = await wait('the warning in the room', saidIn('cl', /身份证号或手机号/, mark));
      assert.ok(warning.startsWith('@兰向军'), `the sender is @-mentioned: ${warning}`);
      assert.ok(warning.includes('撤回'), warning);
      assert.ok(!warning.includes(id), 'the warning does not repeat the number');
      await wait('the private note to 兰向军', saidIn('@lan', /刚才在群里发了身份证号/, mark));
      assert.ok(!bridge.logs.some((l) => l.line.includes(id)), 'no bridge log line carries the number');

      const before = bridge.status();
      const unknownLogs = () => bridge.logs.filter((l) => l.event === 'unknown_room').length;
      const skipped = [];
      const onSkip = (s) => s.reason === 'unknown_room' && skipped.push(s);
      bridge.on('skipped', onSkip);
      world.say('lan', '我想办低保', 'chat', { mentionBot: true });
      world.say('stranger', '有人吗', 'chat', { mentionBot: true });
      await wait('both messages of the unknown room are seen', () => skipped.length === 2);
      bridge.off('skipped', onSkip);
      assert.equal(unknownLogs(), 1, 'logged once');
      const line = bridge.logs.find((l) => l.event === 'unknown_room');
      assert.ok(line.line.includes('xianliao@chatroom') && line.line.includes('老乡闲聊群'), line.line);
      assert.equal(bridge.status().inbound, before.inbound, 'no hook request for them');
      assert.deepEqual(world.texts('chat'), [], 'nothing said in the unknown room');
    });

    await t.test('d. the deadline patrol (a timer) reaches the agent privately and the 四季镇 room through the callback', async () => {
      caseRec = await caseRecord(tenantId, caseNo);
      const dueDays = Number(caseRec.due_days);
      assert.ok(dueDays > chinaDays(START), `due_days ${caseRec.due_days}`);
      const fromCallbacks = accepted.length;
      // The due day, 09:30: two working days or less left — 催办 to the owner, privately.
      let mark = world.said.length;
      await setBotClock(chinaDayAt(dueDays, 9, 30));
      const soon = await wait('催办 to the agent', saidIn('@jiang', new RegExp(`催办：#${caseNo}`), mark), 20000);
      assert.ok(soon.includes('医疗救助'), soon);
      // The next day: overdue — 督办 in the township room, its supervisor @-mentioned.
      mark = world.said.length;
      await setBotClock(chinaDayAt(dueDays + 1, 9, 30));
      const overdue = await wait('督办 in the 四季镇 room', saidIn('sj', new RegExp(`督办：#${caseNo}`), mark), 20000);
      assert.ok(overdue.startsWith('@陈光荣'), overdue);
      assert.ok(overdue.includes(agentCl.name), overdue);
      const viaCallback = accepted.slice(fromCallbacks).map((e) => e.reply.text);
      assert.ok(viaCallback.some((x) => x.includes(`催办：#${caseNo}`)) && viaCallback.some((x) => x.includes(`督办：#${caseNo}`)),
        `both came through the callback: ${JSON.stringify(viaCallback)}`);
      assert.deepEqual(world.texts('sj').filter((x) => x.includes(`督办：#${caseNo}`)).length, 1, 'once');
    });

    await t.test('e. callbacks: bad signature refused, an old one replayed refused, duplicate said once, unknown chat 422, a burst in order within the rate limit', async () => {
      const url = bridge.callbackUrl;
      const push = (key, text, chat = { type: 'group', id: 'g_cl' }) => {
        testKeys.add(key);
        return { replies: [{ chat, text, mention: [] }], idempotency_key: key, time: Math.floor(Date.now() / 1000) };
      };
      const run = crypto.randomBytes(4).toString('hex');

      const forged = push(`test:forged:${run}`, '伪造的通知：请把身份证发到群里');
      let r = await signedCallback(url, forged, 'not-the-hook-secret-0000000');
      assert.equal(r.status, 401);
      r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(forged) });
      assert.equal(r.status, 401, 'no signature');
      assert.equal(bridge.status().bad_signatures, 2);

      // Signed by the bot, but recorded and replayed an hour later (its key long forgotten), or
      // without a time: refused, never said.
      const replayed = { ...push(`test:replayed:${run}`, `一小时前的通知 ${run}`), time: Math.floor(Date.now() / 1000) - 3600 };
      r = await signedCallback(url, replayed);
      assert.equal(r.status, 401);
      const stale = await r.json();
      assert.equal(stale.error, 'stale');
      assert.match(stale.detail, /3[56]\d\d s/);
      const { time: _omitted, ...timeless } = push(`test:timeless:${run}`, `没有时间的通知 ${run}`);
      r = await signedCallback(url, timeless);
      assert.equal(r.status, 400);
      assert.equal((await r.json()).field, 'time');
      assert.equal(bridge.status().stale_callbacks, 1);

      const dup = push(`test:dup:${run}`, `重复的通知 ${run}`);
      r = await signedCallback(url, dup);
      assert.equal(r.status, 200);
      assert.equal((await r.json()).duplicate, false);
      r = await signedCallback(url, dup);
      assert.equal(r.status, 200);
      assert.equal((await r.json()).duplicate, true);

      r = await signedCallback(url, push(`test:nowhere:${run}`, '无处可去', { type: 'group', id: 'g_nowhere' }));
      assert.equal(r.status, 422);
      assert.equal((await r.json()).error, 'unknown_chat');

      // A burst of 8 to one room: all said, in order, never more than per_chat in a window.
      const texts = Array.from({ length: 8 }, (_, i) => `第${i + 1}条通知 ${run}`);
      for (const [i, text] of texts.entries()) {
        r = await signedCallback(url, push(`test:burst:${run}:${i}`, text));
        assert.equal(r.status, 200);
      }
      await wait('the whole burst is said', () => world.texts('cl').filter((x) => x.endsWith(run) && x.startsWith('第')).length === texts.length, 20000);
      const burst = world.said.filter((s) => s.where === 'cl' && s.text.endsWith(run) && s.text.startsWith('第'));
      assert.deepEqual(burst.map((s) => s.text), texts, 'in the order they came');
      for (let i = RATE.per_chat; i < burst.length; i++) {
        assert.ok(burst[i].at - burst[i - RATE.per_chat].at >= RATE.window_ms - 5,
          `at most ${RATE.per_chat} in ${RATE.window_ms} ms: #${i - RATE.per_chat + 1} at ${burst[i - RATE.per_chat].at}, #${i + 1} at ${burst[i].at}`);
      }
      // The duplicate was said once, and before the burst (same room, strict order).
      assert.equal(world.texts('cl').filter((x) => x === `重复的通知 ${run}`).length, 1);
      assert.ok(!world.said.some((s) => s.text.includes('伪造的通知')), 'nothing forged was said');
      assert.ok(!world.said.some((s) => s.text.endsWith(run) && /一小时前|没有时间/.test(s.text)), 'nothing replayed was said');
      assert.equal(bridge.status().duplicates, 1);
      dupBody = dup;
    });

    await t.test('f. logged out, stopped, restarted: no push is lost or doubled; counted on both sides', async () => {
      // The phone goes offline: a push comes and waits on disk.
      world.logout();
      await wait('the bridge sees the logout', () => !bridge.status().logged_in);
      const dueDays = Number(caseRec.due_days);
      const queuedBefore = bridge.status().queued;
      const acceptedBefore = accepted.length;
      await setBotClock(chinaDayAt(dueDays + 7, 9, 30));
      await wait('the county 督办 is accepted while logged out', () =>
        accepted.slice(acceptedBefore).some((e) => e.reply.text.includes(`#${caseNo}`) && e.reply.chat.id === 'g_county'), 20000);
      assert.equal(bridge.status().queued, queuedBefore + 1);
      assert.deepEqual(world.texts('county'), [], 'nothing said while logged out');
      const journal = fs.readFileSync(path.join(stateDir, 'journal.jsonl'), 'utf8');
      assert.ok(journal.includes(`督办（县级）：#${caseNo}`), 'the push is on disk');

      // The bridge stops (the process goes).
      await bridge.stop();
      const oldWorld = world;

      // While it is down, the 黄花岭村 agent starts a notice campaign (through the hook, as
      // `daiban chat` would): each household with an account gets a notice, pushed to the
      // callback that is not there; the bot's outbox keeps retrying.
      const botNow = await server.clock();
      const deadline = new Date(botNow + 10 * DAY + 8 * 3600000);
      const typed = `发起通知 冬季防火 截止${deadline.getUTCMonth() + 1}月${deadline.getUTCDate()}日`;
      const started = await own.hookSay(server.url, tenantId, HOOK_SECRET, {
        id: `campaign-${Date.now()}`, group: 'g_hhl', from: 'u_agent_hhl_1', text: typed, time: Math.floor(botNow / 1000),
      });
      const startedText = started.replies.map((x) => x.text).join('\n');
      assert.ok(/冬季防火/.test(startedText), `the campaign started: ${startedText}`);
      await wait('the bot is retrying the undeliverable notices', async () => (await own.outboxDepth(server.url, tenantId, 'delayed')) > 0, 20000);

      // A new bridge process: the same config and state, a new puppet that logs in again.
      world = buildWorld({ people: PEOPLE, rooms: ROOMS });
      bridge = startBridge(world, config, { clock });
      follow(bridge);
      await bridge.start();
      assert.equal(bridge.status().queued, queuedBefore + 1, 'the queue came back from disk');
      world.login();
      const countyText = await wait('the county room gets the queued 督办 after login', saidIn('county', new RegExp(`督办（县级）：#${caseNo}`)), 20000);
      assert.ok(countyText.startsWith('@韩雪梅'), countyText);
      for (const [key] of Object.entries(HOUSEHOLDS)) {
        await wait(`household ${key} gets the notice`, saidIn(`@${key}`, /冬季防火/), 30000);
      }
      await wait('nothing left in the bot\'s outbox', async () => (await own.outboxDepth(server.url, tenantId, 'queued')) === 0 &&
        (await own.outboxDepth(server.url, tenantId, 'delayed')) === 0, 20000);
      assert.equal(await own.outboxDepth(server.url, tenantId, 'dead'), 0, 'nothing dead-lettered');
      await wait('the bridge has said everything', () => bridge.status().queued === 0, 20000);

      // Counted on both sides: the pushes the bot marks delivered are exactly the ones the
      // bridges accepted, and each was said exactly once.
      const prefix = `dbn:{${tenantId}}:outbox:sent:`;
      const botDelivered = new Set((await scanKeys(`${prefix}*`)).map((k) => k.slice(prefix.length)));
      const bridgeAccepted = new Set(accepted.map((e) => e.key).filter((k) => !testKeys.has(k)));
      assert.deepEqual([...bridgeAccepted].sort(), [...botDelivered].sort(), 'bot-delivered = bridge-accepted');
      assert.ok(botDelivered.size >= 3 + Object.keys(HOUSEHOLDS).length, `pushes: ${botDelivered.size}`);
      const saidKeys = saidEntries.filter((e) => e.source === 'callback' && !testKeys.has(e.key)).map((e) => e.key);
      assert.deepEqual([...saidKeys].sort(), [...bridgeAccepted].sort(), 'each accepted push said exactly once');
      for (const key of Object.keys(HOUSEHOLDS)) {
        assert.equal(world.texts(`@${key}`).filter((x) => x.includes('冬季防火')).length, 1, `${key}: one notice`);
      }
      assert.equal(oldWorld.texts('county').length + world.texts('county').filter((x) => x.includes(`#${caseNo}`)).length, 1, 'the county 督办 once');

      // A duplicate of a push taken before the restart is still known.
      const r = await signedCallback(bridge.callbackUrl, dupBody);
      assert.equal(r.status, 200);
      assert.equal((await r.json()).duplicate, true, 'keys survive a restart');
    });
  } finally {
    await bridge.stop().catch(() => {});
    await server.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
