// e2e test fixture: a second `daiban serve` of the built binary, owned by one test, with tenants
// that test writes (a tenant without template_id, a tenant with group-bot webhooks, ...), its own
// fake WeChat API and the Redis of the e2e run (read from DAIBAN_E2E_CONFIG). Tests that need a
// configuration the shared e2e server does not have use this instead of changing that server, so
// their pushes, rate limits and dead letters are theirs alone. Needs DAIBAN_BIN and
// DAIBAN_E2E_CONFIG (run_e2e.js sets both).
'use strict';

const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { e2e, tenantConfig } = require('./e2e_config');
const p = require('./wechat_peer');

const SOURCE_DIR = path.join(__dirname, '../..');

const missing = (!process.env.DAIBAN_BIN && 'DAIBAN_BIN not set') ||
  (!process.env.DAIBAN_E2E_CONFIG && 'DAIBAN_E2E_CONFIG not set') || false;

function baseConfig() {
  return JSON.parse(fs.readFileSync(process.env.DAIBAN_E2E_CONFIG, 'utf8'));
}

// A tenant id nobody used before in this Redis (1-32 of a-z 0-9 _ -): a previous run's parked
// pushes, webhook counters and cached tokens cannot leak into this one.
function freshTenantId(prefix) {
  return `${prefix}-${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
}

// The e2e tenant entry (credentials the fake API knows), renamed and pointed at `apiBase`.
function tenantLike(id, apiBase) {
  const base = baseConfig();
  const t = tenantConfig(apiBase);
  t.id = id;
  t.data = base.tenants[0].data || path.join(SOURCE_DIR, 'deploy/tenants/demo');
  return t;
}

function orgOf(tenant) {
  return JSON.parse(fs.readFileSync(path.join(tenant.data, 'org.json'), 'utf8'));
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts `daiban serve` with `tenants` (and the e2e run's Redis, holidays and outbox settings;
// `settings` replaces top-level ones, e.g. {outbox: {...}}).
// Resolves to {url, dataDir, log(), stop(), kill(), exited(), clock()}; log() is everything the
// server wrote so far, kill() ends it with SIGKILL (no cleanup, as a crash), exited() tells
// whether it is gone, clock(body) sets or reads the bot's test clock (POST /test/clock).
async function startDaiban({ tenants, env = {}, settings = {} }) {
  const base = baseConfig();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-own-'));
  const configFile = path.join(dir, 'config.json');
  const config = { ...base, ...settings, listen: `127.0.0.1:${port}`, tenants };
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const childEnv = { ...process.env, ...env };
  // The config file decides, not a variable meant for another server.
  for (const k of ['DAIBAN_LISTEN', 'DAIBAN_REDIS', 'DAIBAN_THREADS', 'DAIBAN_DATA_DIR']) delete childEnv[k];
  const child = spawn(process.env.DAIBAN_BIN, ['serve', '--config', configFile], {
    cwd: SOURCE_DIR,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  let exited = null;
  const exit = new Promise((r) => child.on('exit', (code, signal) => { exited = { code, signal }; r(exited); }));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exit;
      clearTimeout(t);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const kill = async () => {
    if (!exited) {
      child.kill('SIGKILL');
      await exit;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const gone = () => exited !== null;
  for (let i = 0; i < 300 && !exited; i++) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) return { url, dataDir: config.data_dir, log: () => log, stop, kill, exited: gone, exit, clock: (body) => clock(url, body) };
    } catch {}
    await sleep(50);
  }
  await stop();
  throw new Error(`own daiban did not become ready (exit ${JSON.stringify(exited)}):\n${log}`);
}

// The test clock of the server at `url` (unix ms): set it ({now_ms} or {advance_ms}), or read it.
async function clock(url, body = { advance_ms: 0 }) {
  const r = await fetch(`${url}/test/clock`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`POST /test/clock: ${r.status} (a build without DAIBAN_TEST_HOOKS?)`);
  return (await r.json()).now_ms;
}

// A plain-mode official-account message to /wechat/{tenant} of the server at `url`.
function postPlain(url, tenant, xml, user) {
  return p.send('POST', `${url}/wechat/${tenant}?${new URLSearchParams(p.plainParams(user))}`, xml);
}

const textXml = (user, content) => p.oaXml({ from: user, type: 'text', id: p.msgId(), fields: { Content: content } });

// `daiban_outbox_depth{tenant="T",state="S"}` from /metrics (refreshed by the server every second).
async function outboxDepth(url, tenant, state) {
  const body = await (await fetch(`${url}/metrics`)).text();
  const m = new RegExp(`^daiban_outbox_depth\\{tenant="${tenant}",state="${state}"\\} (\\d+)$`, 'm').exec(body);
  return m ? Number(m[1]) : undefined;
}

// Polls `probe` until it returns a truthy value (returned) or `ms` pass (returns the last value).
async function until(probe, ms, every = 100) {
  const end = Date.now() + ms;
  let v;
  for (;;) {
    v = await probe();
    if (v || Date.now() >= end) return v;
    await sleep(every);
  }
}

// A signed JSON-hook text, as a bridge posts what `from` typed in `group`; `time` in Unix seconds
// (default: the wall clock; a test that moved the bot's clock passes the bot's). Resolves to the
// parsed response; throws on any status but 200.
async function hookSay(url, tenantId, secret, { id, group, from, text, time = Math.floor(Date.now() / 1000) }) {
  const body = JSON.stringify({
    id,
    time,
    chat: { type: 'group', id: group },
    from: { id: from, name: '代理员' },
    type: 'text',
    text,
  });
  const sig = `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
  const r = await fetch(`${url}/hook/${tenantId}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Daiban-Signature': sig },
    body,
  });
  if (r.status !== 200) throw new Error(`hook ${tenantId}: HTTP ${r.status} ${await r.text()}`);
  return r.json();
}

// A hook bridge's callback endpoint (hook.callback_url): records every signed callback as
// {path, signature, raw, body}.
async function hookReceiver() {
  const calls = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body = null;
      try { body = JSON.parse(raw); } catch {}
      calls.push({ path: req.url, signature: req.headers['x-daiban-signature'], raw, body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, calls, close: () => new Promise((r) => server.close(r)) };
}

// ---- a minimal Redis client (RESP2), to look at what the server parked ----

function parseResp(buf, at = 0) {
  if (at >= buf.length) return null;
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  if (type === '+') return { value: line, end: next };
  if (type === '-') return { value: new Error(line), end: next };
  if (type === ':') return { value: Number(line), end: next };
  if (type === '$') {
    const n = Number(line);
    if (n < 0) return { value: null, end: next };
    if (buf.length < next + n + 2) return null;
    return { value: buf.toString('utf8', next, next + n), end: next + n + 2 };
  }
  if (type === '*') {
    const n = Number(line);
    if (n < 0) return { value: null, end: next };
    const out = [];
    let pos = next;
    for (let i = 0; i < n; i++) {
      const e = parseResp(buf, pos);
      if (!e) return null;
      out.push(e.value);
      pos = e.end;
    }
    return { value: out, end: pos };
  }
  throw new Error(`unexpected RESP type ${type}`);
}

// Runs one command against the e2e run's Redis (redis://host:port/db or unix:///path?db=N).
function redisCommand(...args) {
  const addr = baseConfig().redis;
  let connectOpts;
  let db = 0;
  if (addr.startsWith('unix://')) {
    const u = new URL(addr);
    connectOpts = { path: u.pathname };
    db = Number(u.searchParams.get('db') || 0);
  } else {
    const u = new URL(addr);
    connectOpts = { host: u.hostname, port: Number(u.port || 6379) };
    db = Number(u.pathname.replace('/', '') || 0);
  }
  const encode = (a) => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(String(x))}\r\n${x}\r\n`).join('')}`;
  const cmds = db ? [['SELECT', db], args] : [args];
  return new Promise((resolve, reject) => {
    const sock = net.connect(connectOpts);
    let buf = Buffer.alloc(0);
    const replies = [];
    sock.on('error', reject);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const r = parseResp(buf);
        if (!r) break;
        replies.push(r.value);
        buf = buf.subarray(r.end);
      }
      if (replies.length === cmds.length) {
        sock.end();
        const last = replies[replies.length - 1];
        if (last instanceof Error) reject(last);
        else resolve(last);
      }
    });
    sock.write(cmds.map(encode).join(''));
  });
}

module.exports = {
  missing, freshTenantId, tenantLike, orgOf, startDaiban, postPlain, textXml, outboxDepth, until,
  sleep, redisCommand, hookReceiver, hookSay, freePort, baseConfig, SOURCE_DIR, e2e,
};
