// e2e: the staff console (console/, served at /console/ with the JSON API /api/v1) in a real
// browser — Debian's chromium, headless, driven by puppeteer-core (no browser download) — against
// its own daiban (own_server.js) with a JSON-hook tenant whose bridge callback this test records.
// A resident of 黄花岭村 opens a case by hook and sends a photo; the 法库镇 supervisor types 后台,
// signs in through the one-time link and sees the dashboard (受理 = /api/v1/kpis; 最新动态 already
// lists the resident's case, from /api/v1/feed), opens the case from the list narrowed to the
// village (范围, scope=village:hhl), sees the photo, 退回s it with a reason (status 待补正, the
// resident told the reason through the bridge); a new case and an emergency appear live on the
// open dashboard; the supervisor opens the emergency from there and presses 收到 (the resident is
// told who is coming); a 四季镇 agent cannot see the case; no session → 401, no CSRF header → 403.
// Screenshots (console-*.png) go to DAIBAN_E2E_VAR (else the temp dir). Needs DAIBAN_BIN,
// DAIBAN_E2E_CONFIG (run_e2e.js sets both, and the config's `console` block) and /usr/bin/chromium.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const fake = require('./fake_wechat_api');
const own = require('./own_server');

const CHROMIUM = '/usr/bin/chromium';
let puppeteer = null;
try {
  puppeteer = require('puppeteer-core');
} catch {}

const skip = own.missing || (!puppeteer && 'puppeteer-core not installed (npm ci in tests/e2e)');
const SHOTS = process.env.DAIBAN_E2E_VAR || os.tmpdir();
const HOOK_SECRET = `e2e-console-${crypto.randomBytes(6).toString('hex')}`;
const REASON = '照片看不清，请重拍';

const resident = { id: 'u_console_res_1', name: '兰向军' };
const neighbour = { id: 'u_console_res_2', name: '王秀芝' };
const latecomer = { id: 'u_console_res_3', name: '赵春华' };
const supervisor = { id: 'u_agent_fk_sup', name: '刘振国' }; // a_fk_sup, 法库镇
const outsider = { id: 'u_agent_zy_1', name: '何明清' }; // a_zy_1, 竹园村 of 四季镇

// A small real PNG (RGB stripes), made here so the browser has something to decode.
function crc32(buf) {
  let crc = 0xffffffff;
  for (const byte of buf) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function stripesPng(w, h) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const band = Math.floor(y / 8) % 2;
      raw[o] = band ? 200 : 60;
      raw[o + 1] = 120 + (x % 64);
      raw[o + 2] = band ? 80 : 210;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

// A signed JSON-hook message from `who` in their private chat; resolves to the parsed response.
async function hookPrivate(server, tenantId, who, fields) {
  const body = JSON.stringify({
    id: `m-${crypto.randomBytes(6).toString('hex')}`,
    time: Math.floor(Date.now() / 1000),
    chat: { type: 'private', id: who.id },
    from: { id: who.id, name: who.name },
    ...fields,
  });
  const sig = `sha256=${crypto.createHmac('sha256', HOOK_SECRET).update(body).digest('hex')}`;
  const r = await fetch(`${server.url}/hook/${tenantId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Daiban-Signature': sig },
    body,
  });
  assert.equal(r.status, 200, `hook: HTTP ${r.status} ${await r.clone().text()}`);
  return r.json();
}
const say = (server, tenantId, who, text) => hookPrivate(server, tenantId, who, { type: 'text', text });
const saidTo = (res, chatId) => (res.replies || []).filter((r) => r.chat.id === chatId).map((r) => r.text).join('\n');

// The one-time sign-in link in the bot's answer to 后台, opened on `server` (the config's
// console.public_url names the shared e2e server, not this test's own one).
function signInLink(text, server) {
  const m = /https?:\/\/[^\s]*?\/console\/login\?t=([A-Za-z0-9._~%-]+)/.exec(text);
  assert.ok(m, `no sign-in link in: ${text}`);
  return `${server.url}/console/login?t=${m[1]}`;
}

// fetch() inside the page: the session's cookie goes along, nothing else unless given.
function pageFetch(page, url, init = {}) {
  return page.evaluate(async (u, i) => {
    const r = await fetch(u, { credentials: 'same-origin', ...i });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch {}
    return { status: r.status, json, text };
  }, url, init);
}

async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `console-${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

test('the staff console in a browser: sign-in link, dashboard, case work, live events, scope', { skip, timeout: 240000 }, async (t) => {
  if (!fs.existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} not installed (apt-get install chromium)`);
    return;
  }
  const base = JSON.parse(fs.readFileSync(process.env.DAIBAN_E2E_CONFIG, 'utf8'));
  assert.ok(base.console && base.console.dir, 'the e2e config has no console block (run_e2e.js writes it)');

  const api = await fake.start({ port: 0 });
  const hooks = await own.hookReceiver();
  const tenantId = own.freshTenantId('console');
  const tenant = own.tenantLike(tenantId, api.url);
  delete tenant.wecom;
  tenant.hook = { secret: HOOK_SECRET, callback_url: `${hooks.url}/callback` };
  const server = await own.startDaiban({ tenants: [tenant] });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless=new', '--lang=zh-CN'],
    headless: true,
  });
  const problems = []; // uncaught errors and CSP refusals in any page
  const watch = (page) => {
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    return page;
  };
  try {
    let n = 0; // the case number
    let ticket = 0; // the emergency's number (tickets are numbered apart from cases)
    let material = '';
    let supervisorLink = '';
    const page = watch(await browser.newPage());
    await page.setViewport({ width: 1366, height: 768 });

    await t.test('a. a resident opens a case by hook and sends a photo', async () => {
      let r = await say(server, tenantId, resident, '我是黄花岭村的');
      assert.match(saidTo(r, resident.id), /黄花岭村/, JSON.stringify(r));
      r = await say(server, tenantId, resident, '我妈住院了，想办民政二次救助');
      let text = saidTo(r, resident.id);
      let m = /编号 (\d+)/.exec(text);
      if (!m && /确认|是否|对吗|对不对/.test(text)) {
        // The bot asked to confirm first.
        r = await say(server, tenantId, resident, '对');
        text = saidTo(r, resident.id);
        m = /编号 (\d+)/.exec(text);
      }
      assert.ok(m, `no case number in: ${text}`);
      n = Number(m[1]);
      r = await hookPrivate(server, tenantId, resident, {
        type: 'image',
        media: { data: stripesPng(96, 64).toString('base64'), mime: 'image/png' },
      });
      assert.match(saidTo(r, resident.id), /已收到 1\//, JSON.stringify(r));
    });

    await t.test('b. the 法库镇 supervisor types 后台 and the link signs the browser in', async () => {
      const r = await say(server, tenantId, supervisor, '后台');
      const text = saidTo(r, supervisor.id);
      assert.match(text, /\/console\/login\?t=/, JSON.stringify(r));
      supervisorLink = signInLink(text, server);
      await page.goto(supervisorLink, { waitUntil: 'domcontentloaded' });
      await page.waitForFunction(() => document.querySelector('#agent-name')?.textContent === '刘振国', { timeout: 10000 });
      assert.equal(new URL(page.url()).pathname, '/console/');
      assert.equal(await page.$eval('#scope-name', (e) => e.textContent), '法库镇');
      assert.equal(await page.$eval('#login', (e) => e.hidden), true, 'the sign-in form is hidden');
      // The link works once.
      const again = await fetch(supervisorLink, { redirect: 'manual' });
      assert.equal(again.status, 401, 'a used sign-in link must not sign in again');
    });

    await t.test('c. the 受理 tile shows total.received of /api/v1/kpis', async () => {
      await page.waitForFunction(() => document.querySelector('[data-kpi="received"]')?.dataset.value !== undefined, { timeout: 10000 });
      const k = await pageFetch(page, '/api/v1/kpis');
      assert.equal(k.status, 200, k.text);
      assert.ok(k.json.total.received >= 1, `our case is counted: ${k.text}`);
      const tile = await page.$eval('[data-kpi="received"]', (e) => ({ value: e.dataset.value, text: e.querySelector('.kpi-value').textContent }));
      assert.equal(Number(tile.value), k.json.total.received);
      assert.equal(tile.text, String(k.json.total.received));
      // The charts were drawn (Chart.js from /console/vendor/).
      assert.equal(await page.evaluate(() => typeof window.Chart), 'function');
      await page.waitForFunction(() => document.querySelectorAll('.chart-box canvas').length === 3, { timeout: 5000 });

      // 最新动态 already has the resident's case, opened before the page was: from /api/v1/feed.
      const item = `#live[data-loaded] li[data-event="case"][data-number="${n}"]`;
      await page.waitForSelector(item, { timeout: 10000 });
      const live = await page.$eval(item, (e) => ({
        id: e.dataset.id, fresh: e.classList.contains('fresh'), text: e.textContent,
        time: e.querySelector('time').textContent, href: e.querySelector('a')?.getAttribute('href'),
      }));
      assert.match(live.text, new RegExp(`新代办件 #${n} 黄花岭村 兰向军`));
      assert.match(live.time, /^(\d{2}-\d{2} )?\d{2}:\d{2}$/);
      assert.equal(live.href, `#/cases/${n}`);
      assert.equal(live.fresh, false, 'listed from the feed, not pushed live');
      const feed = await pageFetch(page, '/api/v1/feed?limit=20');
      assert.equal(feed.status, 200, feed.text);
      const entry = feed.json.events.find((e) => e.event === 'case' && e.data.number === n);
      assert.ok(entry, `case ${n} in the feed: ${feed.text}`);
      assert.equal(live.id, entry.id);
      assert.equal(await page.$$eval(`#live li[data-id="${entry.id}"]`, (els) => els.length), 1, 'listed once');
    });

    await t.test('d. from the list (范围 黄花岭村) to the case: photo, 退回 with a reason, the resident told', async () => {
      await page.click('a[data-nav="cases"]');
      await page.waitForSelector('#c-scope');
      await page.select('#c-scope', 'village:hhl');
      // The list drawn for this filter (scope=village:hhl, filtered by the server), loaded.
      const rows = '#case-rows[data-filter="scope=village%3Ahhl"][data-loaded]';
      const row = `${rows} tr[data-case="${n}"]`;
      await page.waitForSelector(row, { timeout: 10000 });
      const villages = await page.$$eval(`${rows} tr[data-case] td:nth-child(5)`, (tds) => tds.map((td) => td.textContent));
      assert.ok(villages.every((v) => v === '黄花岭村'), `only 黄花岭村 cases: ${villages}`);
      await page.click(`${row} a.case-link`);
      await page.waitForFunction((num) => location.hash === `#/cases/${num}`, {}, n);

      // Which material the photo was filed under (the one the bot asked for first).
      const c = await pageFetch(page, `/api/v1/cases/${n}`);
      assert.equal(c.status, 200, c.text);
      const withFile = c.json.materials.find((m) => m.files.length > 0);
      assert.ok(withFile, `no material has the photo: ${c.text}`);
      material = withFile.id;
      const thumb = `[data-material="${material}"] .thumb img`;
      await page.waitForSelector(thumb, { timeout: 10000 });
      await page.waitForFunction((sel) => { const i = document.querySelector(sel); return i && i.complete && i.naturalWidth === 96; }, { timeout: 10000 }, thumb);
      assert.match(await page.$eval('.case-head', (e) => e.textContent), /兰向军/);
      assert.match(await page.$eval('.case-head', (e) => e.textContent), /黄花岭村/);

      // Click to enlarge; Escape closes.
      await page.click(`[data-material="${material}"] .thumb`);
      await page.waitForFunction(() => !document.querySelector('#overlay').hidden && document.querySelector('#overlay-img').naturalWidth === 96);
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => document.querySelector('#overlay').hidden);

      // 退回 needs a reason: an empty one is refused in the page.
      await page.click(`[data-material="${material}"] [data-action="return"]`);
      await page.click(`[data-material="${material}"] [data-action="return-confirm"]`);
      assert.equal(await page.$eval(`[data-material="${material}"] .form-error`, (e) => e.hidden), false, 'an empty reason is refused');
      await page.type(`[data-material="${material}"] input.reason`, REASON);
      await page.click(`[data-material="${material}"] [data-action="return-confirm"]`);
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === '待补正', { timeout: 10000 });
      assert.equal(await page.$eval('[data-testid="status"]', (e) => e.dataset.status), 'returned');
      const message = await page.$eval('[data-testid="action-message"]', (e) => e.textContent);
      assert.ok(message.length > 0, 'the bot\'s answer is shown');
      assert.match(await page.$eval(`[data-material="${material}"]`, (e) => e.textContent), /照片看不清/);
      // The timeline got the step; the audit trail names who looked at the photo.
      assert.match(await page.$eval('#timeline', (e) => e.textContent), /照片看不清/);
      await page.waitForFunction(() => /刘振国/.test(document.querySelector('#audit')?.textContent || ''), { timeout: 10000 });
      await shot(page, 'case');

      // 转办 (up a level) wants a reason as well; opened and cancelled here, nothing is sent.
      assert.ok(c.json.actions.includes('transfer'), `转办 offered: ${c.text}`);
      await page.click('#case-actions [data-action="transfer"]');
      assert.equal(await page.$eval('#transfer-form', (e) => e.hidden), false);
      assert.ok((await page.$$eval('#transfer-level option', (os) => os.map((o) => o.value))).includes('county'));
      await page.click('#transfer-form [data-action="transfer-confirm"]');
      assert.equal(await page.$eval('#transfer-form .form-error', (e) => e.hidden), false, 'an empty reason is refused');
      await page.click('#transfer-form .btn-quiet');
      assert.equal(await page.$eval('#transfer-form', (e) => e.hidden), true);

      // The resident is told, with the reason, through the bridge's callback.
      const told = await own.until(() => hooks.calls.find((call) => call.body && (call.body.replies || [])
        .some((r) => r.chat.id === resident.id && r.text.includes(REASON))), 10000);
      assert.ok(told, `the resident was not told the reason; callbacks: ${JSON.stringify(hooks.calls.map((x) => x.body))}`);
    });

    await t.test('e. a new case and an emergency show up live on the open dashboard', async () => {
      await page.click('a[data-nav="dashboard"]');
      await page.waitForSelector('#live');
      await page.waitForFunction(() => document.querySelector('[data-kpi="received"]')?.dataset.value, { timeout: 10000 });
      const before = Number(await page.$eval('[data-kpi="received"]', (e) => e.dataset.value));
      await page.evaluate(() => { window.__notReloaded = true; });
      await new Promise((res) => setTimeout(res, 1200)); // the stream has its position

      let r = await say(server, tenantId, latecomer, '我是黄花岭村的');
      r = await say(server, tenantId, latecomer, '我想办低保');
      const m = /编号 (\d+)/.exec(saidTo(r, latecomer.id));
      assert.ok(m, JSON.stringify(r));
      await page.waitForSelector(`#live li[data-event="case"][data-number="${m[1]}"]`, { timeout: 10000 });
      assert.match(await page.$eval(`#live li[data-event="case"][data-number="${m[1]}"]`, (e) => e.textContent), /新代办件.*黄花岭村.*赵春华/);
      // The tiles follow.
      await page.waitForFunction((b) => Number(document.querySelector('[data-kpi="received"]').dataset.value) === b + 1, { timeout: 10000 }, before);

      await say(server, tenantId, neighbour, '我是黄花岭村的');
      const started = Date.now();
      r = await say(server, tenantId, neighbour, '冰雹把大棚砸了 快来人');
      assert.ok(JSON.stringify(r).includes('冰雹'), JSON.stringify(r));
      await page.waitForFunction(() => [...document.querySelectorAll('#live li[data-event="emergency"]')].some((li) => li.textContent.includes('冰雹')), { timeout: 10000 });
      assert.ok(Date.now() - started < 10000);
      const first = await page.$eval('#live li', (e) => ({ event: e.dataset.event, text: e.textContent, number: Number(e.dataset.number) }));
      assert.equal(first.event, 'emergency', 'the newest is on top');
      assert.match(first.text, /急事 #\d+ 黄花岭村/);
      ticket = first.number;
      assert.ok(await page.$('.toast-emergency'), 'a red banner for the emergency');
      assert.equal(await page.evaluate(() => window.__notReloaded), true, 'no reload');
      await page.waitForFunction(() => Number(document.querySelector('[data-kpi="emergencies"]').dataset.value) >= 1, { timeout: 10000 });
      await new Promise((res) => setTimeout(res, 600)); // the charts' animation
      await shot(page, 'dashboard');

      // A phone (only the width: emulating a mobile device would reload the page).
      await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2 });
      await new Promise((res) => setTimeout(res, 800));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways on a phone by ${overflow}px`);
      await shot(page, 'dashboard-phone');
      await page.setViewport({ width: 1366, height: 768 });
    });

    await t.test('e2. the emergency: from the live list to its page, 收到, the resident told who is coming', async () => {
      assert.ok(ticket > 0, 'the emergency has a number');
      const link = `#live li[data-event="emergency"][data-number="${ticket}"] a`;
      assert.equal(await page.$eval(link, (a) => a.getAttribute('href')), `#/tickets/${ticket}`);
      await page.click(link);
      await page.waitForFunction((num) => location.hash === `#/tickets/${num}`, {}, ticket);
      await page.waitForSelector('[data-testid="ticket-head"]', { timeout: 10000 });
      const head = await page.$eval('[data-testid="ticket-head"]', (e) => e.textContent);
      assert.match(head, new RegExp(`急事\\s*#${ticket}`));
      assert.match(head, /待处理/);
      assert.match(head, /黄花岭村/);
      assert.match(head, /王秀芝/);
      assert.match(await page.$eval('[data-testid="ticket-text"]', (e) => e.textContent), /冰雹把大棚砸了/);
      assert.equal(await page.$eval('[data-testid="status"]', (e) => e.dataset.status), 'open');

      await page.click('#ticket-actions [data-action="ack"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.textContent === '已收到', { timeout: 10000 });
      assert.equal(await page.$eval('[data-testid="status"]', (e) => e.dataset.status), 'acknowledged');
      assert.ok((await page.$eval('[data-testid="action-message"]', (e) => e.textContent)).length > 0, 'the bot\'s answer is shown');
      assert.equal(await page.$('#ticket-actions [data-action="ack"]'), null, '收到 is done, no longer offered');
      assert.ok(await page.$('#ticket-actions [data-action="on_site"]'), '到场 is next');
      assert.match(await page.$eval('#timeline', (e) => e.textContent), /收到\s*刘振国/);
      const one = await pageFetch(page, `/api/v1/tickets/${ticket}`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.json.status, 'acknowledged');
      assert.equal(one.json.owner_name, '刘振国');
      assert.ok(one.json.acknowledged_at >= one.json.reported_at, one.text);
      await new Promise((res) => setTimeout(res, 300)); // the notice's scroll
      await shot(page, 'ticket');
      await page.setViewport({ width: 390, height: 844, deviceScaleFactor: 2 });
      await new Promise((res) => setTimeout(res, 500));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the ticket page scrolls sideways on a phone by ${overflow}px`);
      await shot(page, 'ticket-phone');
      await page.setViewport({ width: 1366, height: 768 });

      // A second 收到 is refused with the bot's words (409), naming who has it.
      const me = await pageFetch(page, '/api/v1/me');
      const again = await pageFetch(page, `/api/v1/tickets/${ticket}/actions`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.json.csrf }, body: JSON.stringify({ action: 'ack' }),
      });
      assert.equal(again.status, 409, again.text);
      assert.match(again.json.detail, /刘振国/);

      // The resident hears, through the bridge, who is coming.
      const told = await own.until(() => hooks.calls.find((call) => call.body && (call.body.replies || [])
        .some((r) => r.chat.id === neighbour.id && /刘振国/.test(r.text) && /接手/.test(r.text))), 10000);
      assert.ok(told, `the resident was not told who is coming; callbacks: ${JSON.stringify(hooks.calls.map((x) => x.body))}`);

      // The list, emergencies only: the row, now acknowledged.
      await page.click('a[data-nav="tickets"]');
      await page.waitForSelector('#ticket-rows[data-loaded]', { timeout: 10000 });
      await page.click('.chips [data-kind="emergency"]');
      const row = `#ticket-rows[data-filter="kind=emergency"][data-loaded] tr[data-ticket="${ticket}"]`;
      await page.waitForSelector(row, { timeout: 10000 });
      assert.equal(await page.$eval(`${row} [data-testid="status"]`, (e) => e.dataset.status), 'acknowledged');
      assert.equal(await page.$eval(`${row} a`, (a) => a.getAttribute('href')), `#/tickets/${ticket}`);
      await shot(page, 'tickets');
    });

    await t.test('f. an agent of another township cannot see the 法库镇 case', async () => {
      const r = await say(server, tenantId, outsider, '后台');
      const link = signInLink(saidTo(r, outsider.id), server);
      const context = await browser.createBrowserContext();
      try {
        const other = watch(await context.newPage());
        await other.goto(link, { waitUntil: 'domcontentloaded' });
        await other.waitForFunction(() => document.querySelector('#agent-name')?.textContent === '何明清', { timeout: 10000 });
        const one = await pageFetch(other, `/api/v1/cases/${n}`);
        assert.equal(one.status, 403, one.text);
        assert.equal(one.json.error, 'out_of_scope');
        const list = await pageFetch(other, '/api/v1/cases?limit=100');
        assert.equal(list.status, 200, list.text);
        assert.ok(!list.json.cases.some((c) => c.number === n), `case ${n} in the 四季镇 agent's list`);
        // The page says so, and its list does not show it.
        await other.goto(`${server.url}/console/#/cases/${n}`, { waitUntil: 'domcontentloaded' });
        await other.waitForSelector('[data-testid="error"]', { timeout: 10000 });
        await other.goto(`${server.url}/console/#/cases`, { waitUntil: 'domcontentloaded' });
        await other.waitForSelector('#case-rows[data-loaded]', { timeout: 10000 });
        assert.equal(await other.$(`tr[data-case="${n}"]`), null);
      } finally {
        await context.close();
      }
    });

    await t.test('g. no session → 401 and the sign-in form; no CSRF header → 403', async () => {
      const anon = await fetch(`${server.url}/api/v1/cases`);
      assert.equal(anon.status, 401);
      assert.equal((await anon.json()).error, 'not_signed_in');
      const context = await browser.createBrowserContext();
      try {
        const fresh = watch(await context.newPage());
        await fresh.goto(`${server.url}/console/`, { waitUntil: 'domcontentloaded' });
        await fresh.waitForFunction(() => !document.querySelector('#login').hidden, { timeout: 10000 });
        assert.equal(await fresh.$eval('#login-tenant', (e) => e.value), 'demo');
      } finally {
        await context.close();
      }
      // Signed in, but a POST without the header is refused and changes nothing.
      const noCsrf = await pageFetch(page, `/api/v1/cases/${n}/actions`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'approve', material }),
      });
      assert.equal(noCsrf.status, 403, noCsrf.text);
      assert.equal(noCsrf.json.error, 'csrf');
      const c = await pageFetch(page, `/api/v1/cases/${n}`);
      assert.equal(c.json.status, 'returned', 'nothing was done');
    });

    await t.test('h. 月度通报: the table and its CSV and printable links', async () => {
      await page.click('a[data-nav="report"]');
      await page.waitForSelector('#report [data-testid="report-table"], #report p.muted', { timeout: 10000 });
      await shot(page, 'report');
      const month = await page.$eval('#r-month', (e) => e.value);
      assert.match(month, /^\d{4}-\d{2}$/);
      const links = await page.evaluate(() => ({ csv: document.querySelector('#r-csv').getAttribute('href'), html: document.querySelector('#r-print').getAttribute('href') }));
      assert.match(links.csv, /format=csv/);
      assert.match(links.html, /format=html/);
      const csv = await pageFetch(page, links.csv);
      assert.equal(csv.status, 200, csv.text);
      assert.match(csv.text, /受理/);
      const html = await pageFetch(page, links.html);
      assert.equal(html.status, 200, html.text);
    });

    assert.deepEqual(problems, [], 'no script errors or CSP refusals in the pages');
  } finally {
    await browser.close();
    // The server's log, for when something above failed.
    try {
      fs.mkdirSync(SHOTS, { recursive: true });
      fs.writeFileSync(path.join(SHOTS, 'console-daiban.log'), server.log());
    } catch {}
    await server.stop();
    await hooks.close();
    await api.close();
  }
});
