// e2e test fixture: a fake WeChat / WeCom HTTP API for the bot's outbound clients (api_base points
// here in tests). It is NOT a mock that says yes: it enforces the protocol as documented in
// WeChat's public API documentation (access tokens, customer-service and template messages,
// WeCom) — credentials, token lifetimes and invalidation,
// request shapes, the real error codes (40001, 42001, 41001, 40014, 45015, 45047, 45009, 40007,
// 40033, 45008, 47001, 93000...) returned with HTTP 200 exactly as WeChat does — and it records
// every request so tests can assert what the bot actually sent.
//
// Use in-process:  const { start } = require('./fake_wechat_api'); const api = await start({port: 0});
//                  ... api.url, api.sent(), api.close()
// Or standalone:   node fake_wechat_api.js [--port 8089]   (prints {"listening":"http://..."})
//
// Endpoints (WeChat OA)   GET  /cgi-bin/token?grant_type=client_credential&appid=&secret=
//                         POST /cgi-bin/stable_token {grant_type, appid, secret, force_refresh}
//                         POST /cgi-bin/message/custom/send?access_token=
//                         POST /cgi-bin/message/template/send?access_token=
//                         GET  /cgi-bin/media/get?access_token=&media_id=
//                         POST /cgi-bin/menu/create?access_token=
//           (WeCom)       GET  /cgi-bin/gettoken?corpid=&corpsecret=
//                         POST /cgi-bin/message/send?access_token=
//           (group bot)   POST /cgi-bin/webhook/send?key=
// Test controls           GET  /__sent       accepted sends, in order (JSON array)
//                         GET  /__requests   every request with its errcode
//                         POST /__reset      forget sends/requests/tokens/windows
//                         POST /__control    {"advance_s": N}            move the fake clock
//                                            {"invalidate_tokens": true} all tokens → 40001
//                                            {"close_window": "OPENID"}  KF sends → 45015
//                                            {"kf_quota": N}             KF sends per user → 45047
//                                            {"fail_next": [{"path": "...", "errcode": N}]}
//                                            {"media": {"ID": {"base64": "...", "mime": "..."}}}
//                                            {"delay_ms": N}             answer every call late
//
// Real behaviours reproduced on purpose (each one is a bug a client can have):
// * /cgi-bin/token mints a new token on every call and the previous one dies (after a 300 s
//   grace), so uncoordinated refreshers knock each other out (40001).
// * /cgi-bin/stable_token returns the same token while valid; force_refresh replaces it.
// * Tokens expire after expires_in (7200 s of fake time) → 42001.
// * errors come as {"errcode":N,"errmsg":"... rid: ..."} with HTTP 200; media/get answers binary on
//   success and JSON on failure, so a client must branch on Content-Type.
// * JSON bodies containing \uXXXX escapes of non-ASCII are refused with 40033.
// * msgid values are 64-bit integers beyond 2^53, written as bare JSON numbers.
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');

const TOKEN_TTL_S = 7200;
const OLD_TOKEN_GRACE_S = 300;
const WEBHOOK_PER_MINUTE = 20;

const ERR = {
  ok: [0, 'ok'],
  system: [-1, 'system error'],
  invalid_credential: [40001, 'invalid credential, access_token is invalid or not latest'],
  invalid_grant_type: [40002, 'invalid grant_type'],
  invalid_openid: [40003, 'invalid openid'],
  invalid_media_id: [40007, 'invalid media_id'],
  invalid_message_type: [40008, 'invalid message type'],
  invalid_appid: [40013, 'invalid appid'],
  invalid_access_token: [40014, 'invalid access_token'],
  invalid_charset: [40033, 'invalid charset. please check your request, if include \\uxxxx will create fail!'],
  invalid_template_id: [40037, 'invalid template_id'],
  invalid_agentid: [40056, 'invalid agentid'],
  invalid_appsecret: [40125, 'invalid appsecret'],
  missing_access_token: [41001, 'access_token missing'],
  missing_content: [44004, 'empty content'],
  empty_post: [44002, 'empty post data'],
  expired: [42001, 'access_token expired'],
  content_too_long: [45002, 'content size out of limit'],
  article_limit: [45008, 'article size out of limit'],
  freq_limit: [45009, 'reach max api daily quota limit'],
  window_closed: [45015, 'response out of time limit or subscription is canceled'],
  count_limit: [45047, 'out of response count limit'],
  data_format: [47001, 'data format error'],
  invalid_webhook: [93000, 'invalid webhook url'],
};

const KF_TYPES = new Set(['text', 'image', 'voice', 'video', 'music', 'news', 'mpnews',
  'mpnewsarticle', 'msgmenu', 'wxcard', 'miniprogrampage']);
const WECOM_TYPES = new Set(['text', 'image', 'voice', 'video', 'file', 'textcard', 'news',
  'mpnews', 'markdown', 'miniprogram_notice', 'template_card']);
const WEBHOOK_TYPES = new Set(['text', 'markdown', 'markdown_v2', 'image', 'news', 'file', 'voice',
  'template_card']);

function rid() {
  return crypto.randomBytes(6).toString('hex');
}

// A 64-bit id above 2^53, as a decimal string (written unquoted into JSON).
function bigId() {
  return (BigInt('2000000000000000000') + BigInt('0x' + crypto.randomBytes(6).toString('hex'))).toString();
}

function options(env) {
  return {
    appid: env.FAKE_APPID || 'wx_fake_appid',
    secret: env.FAKE_SECRET || 'fake_app_secret',
    corpid: env.FAKE_CORPID || 'ww_fake_corp',
    corpsecret: env.FAKE_CORPSECRET || 'fake_corp_secret',
    agentid: String(env.FAKE_AGENTID || '1000002'),
    webhook_key: env.FAKE_WEBHOOK_KEY || 'fake-webhook-key',
    template_ids: (env.FAKE_TEMPLATE_IDS || 'tmpl_case_update').split(','),
  };
}

function createState() {
  return {
    clock_offset_s: 0,
    tokens: new Map(), // token → {kind: 'token'|'stable'|'wecom', expires_at, dead_at}
    current: { token: null, stable: null, wecom: null },
    sent: [],
    requests: [],
    closed_windows: new Set(),
    kf_quota: Infinity,
    kf_count: new Map(),
    fail_next: [],
    media: new Map(),
    webhook_times: [],
    client_msg_ids: new Map(),
    delay_ms: 0,
    seq: 0,
  };
}

function createFakeApi(opts = {}) {
  const cfg = { ...options(process.env), ...opts };
  let st = createState();
  const now = () => Math.floor(Date.now() / 1000) + st.clock_offset_s;

  function mint(kind) {
    const token = `${kind}_${crypto.randomBytes(24).toString('base64url')}`;
    st.tokens.set(token, { kind, expires_at: now() + TOKEN_TTL_S, dead_at: Infinity });
    st.current[kind] = token;
    return token;
  }

  // The token check every API call does. Returns an ERR entry or null.
  function checkToken(token, wecom) {
    if (!token) return ERR.missing_access_token;
    const t = st.tokens.get(token);
    if (!t || (wecom ? t.kind !== 'wecom' : t.kind === 'wecom')) {
      return wecom ? ERR.invalid_access_token : ERR.invalid_credential;
    }
    if (now() >= t.dead_at) return ERR.invalid_credential;
    if (now() >= t.expires_at) return ERR.expired;
    return null;
  }

  function json(res, obj, raw) {
    const body = raw !== undefined ? raw : JSON.stringify(obj);
    res.writeHead(200, { 'Content-Type': 'application/json; encoding=utf-8' });
    res.end(body);
    return obj;
  }

  function error(res, e) {
    return json(res, { errcode: e[0], errmsg: `${e[1]} rid: ${rid()}` });
  }

  function parseBody(raw) {
    if (!raw.length) return { err: ERR.empty_post };
    const text = raw.toString('utf8');
    // WeChat refuses \u-escaped non-ASCII (40033): clients must send raw UTF-8.
    if (/\\u(?:00[89a-fA-F][0-9a-fA-F]|0[1-9a-fA-F][0-9a-fA-F]{2}|[1-9a-fA-F][0-9a-fA-F]{3})/.test(text)) {
      return { err: ERR.invalid_charset };
    }
    try {
      const v = JSON.parse(text);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return { err: ERR.data_format };
      return { body: v };
    } catch {
      return { err: ERR.data_format };
    }
  }

  function scripted(path) {
    const i = st.fail_next.findIndex((f) => f.path === path);
    if (i < 0) return null;
    const [f] = st.fail_next.splice(i, 1);
    const known = Object.values(ERR).find((e) => e[0] === f.errcode);
    return [f.errcode, f.errmsg || (known ? known[1] : 'scripted failure')];
  }

  const routes = {
    'GET /cgi-bin/token': (q) => {
      if (q.get('grant_type') !== 'client_credential') return { err: ERR.invalid_grant_type };
      if (q.get('appid') !== cfg.appid) return { err: ERR.invalid_appid };
      if (q.get('secret') !== cfg.secret) return { err: ERR.invalid_appsecret };
      // Every call mints a new token; the previous one dies after a short grace.
      const old = st.current.token;
      if (old) st.tokens.get(old).dead_at = Math.min(st.tokens.get(old).dead_at, now() + OLD_TOKEN_GRACE_S);
      return { reply: { access_token: mint('token'), expires_in: TOKEN_TTL_S } };
    },

    'POST /cgi-bin/stable_token': (q, body) => {
      if (body.grant_type !== 'client_credential') return { err: ERR.invalid_grant_type };
      if (body.appid !== cfg.appid) return { err: ERR.invalid_appid };
      if (body.secret !== cfg.secret) return { err: ERR.invalid_appsecret };
      let token = st.current.stable;
      const t = token && st.tokens.get(token);
      if (body.force_refresh === true || !t || now() >= t.expires_at || now() >= t.dead_at) {
        if (t) t.dead_at = now();
        token = mint('stable');
      }
      return { reply: { access_token: token, expires_in: st.tokens.get(token).expires_at - now() } };
    },

    'POST /cgi-bin/message/custom/send': (q, body) => {
      const bad = checkToken(q.get('access_token'), false);
      if (bad) return { err: bad };
      if (typeof body.touser !== 'string' || !body.touser) return { err: ERR.invalid_openid };
      if (!KF_TYPES.has(body.msgtype)) return { err: ERR.invalid_message_type };
      const payload = body[body.msgtype];
      if (!payload || typeof payload !== 'object') return { err: ERR.data_format };
      if (body.msgtype === 'text' && (typeof payload.content !== 'string' || !payload.content)) {
        return { err: ERR.missing_content };
      }
      if (body.msgtype === 'news') {
        if (!Array.isArray(payload.articles) || payload.articles.length === 0) return { err: ERR.data_format };
        if (payload.articles.length > 1) return { err: ERR.article_limit };
      }
      if (['image', 'voice', 'video', 'mpnews'].includes(body.msgtype) && !payload.media_id) {
        return { err: ERR.invalid_media_id };
      }
      if (st.closed_windows.has(body.touser)) return { err: ERR.window_closed };
      const n = (st.kf_count.get(body.touser) || 0) + 1;
      if (n > st.kf_quota) return { err: ERR.count_limit };
      st.kf_count.set(body.touser, n);
      return { reply: { errcode: 0, errmsg: 'ok' }, record: true };
    },

    'POST /cgi-bin/message/template/send': (q, body) => {
      const bad = checkToken(q.get('access_token'), false);
      if (bad) return { err: bad };
      if (typeof body.touser !== 'string' || !body.touser) return { err: ERR.invalid_openid };
      if (!cfg.template_ids.includes(body.template_id)) return { err: ERR.invalid_template_id };
      if (!body.data || typeof body.data !== 'object') return { err: ERR.data_format };
      // client_msg_id makes the send idempotent: the same id answers the same msgid, sent once.
      if (body.client_msg_id && st.client_msg_ids.has(body.client_msg_id)) {
        const msgid = st.client_msg_ids.get(body.client_msg_id);
        return { raw: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}` };
      }
      const msgid = bigId();
      if (body.client_msg_id) st.client_msg_ids.set(body.client_msg_id, msgid);
      return { raw: `{"errcode":0,"errmsg":"ok","msgid":${msgid}}`, record: true, extra: { msgid } };
    },

    'GET /cgi-bin/media/get': (q) => {
      const bad = checkToken(q.get('access_token'), false) && checkToken(q.get('access_token'), true);
      if (bad) return { err: bad };
      const m = st.media.get(q.get('media_id'));
      if (!m) return { err: ERR.invalid_media_id };
      return { media: m, name: q.get('media_id') };
    },

    // Custom menu (protocol reference §6): 1-3 buttons, 1-5 sub-buttons, names 16/60 bytes,
    // click keys 1-128 bytes.
    'POST /cgi-bin/menu/create': (q, body) => {
      const bad = checkToken(q.get('access_token'), false);
      if (bad) return { err: bad };
      const top = body.button;
      if (!Array.isArray(top) || top.length < 1 || top.length > 3) return { err: [40016, 'invalid button size'] };
      const leaf = (b, limit) => {
        if (!b.name || Buffer.byteLength(b.name) > limit) return [40018, 'invalid button name size'];
        if (b.type === 'click' && (!b.key || Buffer.byteLength(b.key) > 128)) return [40019, 'invalid button key size'];
        if (b.type === 'view' && (!b.url || Buffer.byteLength(b.url) > 1024)) return [40020, 'invalid button url size'];
        if (!b.type) return [40017, 'invalid button type'];
        return null;
      };
      for (const b of top) {
        if (Array.isArray(b.sub_button)) {
          if (b.sub_button.length < 1 || b.sub_button.length > 5) return { err: [40023, 'invalid sub button size'] };
          if (!b.name || Buffer.byteLength(b.name) > 16) return { err: [40018, 'invalid button name size'] };
          for (const sb of b.sub_button) {
            const e = leaf(sb, 60);
            if (e) return { err: e };
          }
        } else {
          const e = leaf(b, 16);
          if (e) return { err: e };
        }
      }
      return { reply: { errcode: 0, errmsg: 'ok' }, record: true };
    },

    'GET /cgi-bin/gettoken': (q) => {
      if (q.get('corpid') !== cfg.corpid) return { err: [40013, 'invalid corpid'] };
      if (q.get('corpsecret') !== cfg.corpsecret) return { err: ERR.invalid_credential };
      // WeCom returns the same token while it is valid.
      let token = st.current.wecom;
      const t = token && st.tokens.get(token);
      if (!t || now() >= t.expires_at || now() >= t.dead_at) token = mint('wecom');
      return {
        reply: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: st.tokens.get(token).expires_at - now() },
      };
    },

    'POST /cgi-bin/message/send': (q, body) => {
      const bad = checkToken(q.get('access_token'), true);
      if (bad) return { err: bad };
      if (String(body.agentid) !== cfg.agentid) return { err: ERR.invalid_agentid };
      if (!body.touser && !body.toparty && !body.totag) return { err: [40031, 'invalid userid list'] };
      if (!WECOM_TYPES.has(body.msgtype)) return { err: ERR.invalid_message_type };
      const payload = body[body.msgtype];
      if (!payload || typeof payload !== 'object') return { err: ERR.data_format };
      if (['text', 'markdown'].includes(body.msgtype)) {
        if (typeof payload.content !== 'string' || !payload.content) return { err: ERR.missing_content };
        if (Buffer.byteLength(payload.content) > 2048) return { err: ERR.content_too_long };
      }
      return {
        reply: { errcode: 0, errmsg: 'ok', invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: '', msgid: `m_${rid()}` },
        record: true,
      };
    },

    'POST /cgi-bin/webhook/send': (q, body) => {
      if (q.get('key') !== cfg.webhook_key) return { err: ERR.invalid_webhook };
      // At most 20 messages per minute per bot; the excess is refused.
      const t = now();
      st.webhook_times = st.webhook_times.filter((x) => x > t - 60);
      if (st.webhook_times.length >= WEBHOOK_PER_MINUTE) return { err: [45009, 'api freq out of limit'] };
      if (!WEBHOOK_TYPES.has(body.msgtype)) return { err: ERR.invalid_message_type };
      const payload = body[body.msgtype];
      if (!payload || typeof payload !== 'object') return { err: ERR.data_format };
      if (body.msgtype === 'text') {
        if (typeof payload.content !== 'string' || !payload.content) return { err: ERR.missing_content };
        if (Buffer.byteLength(payload.content) > 2048) return { err: ERR.content_too_long };
      }
      if (body.msgtype === 'markdown' && Buffer.byteLength(String(payload.content || '')) > 4096) {
        return { err: ERR.content_too_long };
      }
      st.webhook_times.push(t);
      return { reply: { errcode: 0, errmsg: 'ok' }, record: true };
    },
  };

  function control(body) {
    if (Number.isFinite(body.advance_s)) st.clock_offset_s += body.advance_s;
    if (body.invalidate_tokens) for (const t of st.tokens.values()) t.dead_at = now();
    if (body.close_window) st.closed_windows.add(body.close_window);
    if (body.open_window) st.closed_windows.delete(body.open_window);
    if (body.kf_quota !== undefined) st.kf_quota = body.kf_quota === null ? Infinity : body.kf_quota;
    if (Array.isArray(body.fail_next)) st.fail_next.push(...body.fail_next);
    if (Number.isFinite(body.delay_ms)) st.delay_ms = body.delay_ms;
    if (body.media && typeof body.media === 'object') {
      for (const [id, m] of Object.entries(body.media)) {
        st.media.set(id, { bytes: Buffer.from(m.base64 || '', 'base64'), mime: m.mime || 'image/jpeg' });
      }
    }
  }

  async function handle(req, res) {
    const url = new URL(req.url, 'http://x');
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks);
    const key = `${req.method} ${url.pathname}`;

    if (key === 'GET /__sent') return json(res, st.sent);
    if (key === 'GET /__requests') return json(res, st.requests);
    if (key === 'POST /__reset') {
      st = createState();
      return json(res, { ok: true });
    }
    if (key === 'POST /__control') {
      const p = parseBody(raw);
      if (p.err) return error(res, p.err);
      control(p.body);
      return json(res, { ok: true, now: now() });
    }

    if (st.delay_ms > 0) await new Promise((r) => setTimeout(r, st.delay_ms));
    const seq = ++st.seq;
    const log = { seq, at: now(), method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams) };
    st.requests.push(log);

    const route = routes[key];
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
      log.status = 404;
      return undefined;
    }
    let body = {};
    if (req.method === 'POST') {
      const p = parseBody(raw);
      if (p.err) {
        log.errcode = p.err[0];
        return error(res, p.err);
      }
      body = p.body;
      log.body = body;
    }
    const forced = scripted(url.pathname);
    const out = forced ? { err: forced } : route(url.searchParams, body);
    if (out.err) {
      log.errcode = out.err[0];
      return error(res, out.err);
    }
    log.errcode = 0;
    if (out.record) st.sent.push({ seq, at: log.at, path: url.pathname, query: log.query, body, ...(out.extra || {}) });
    if (out.media) {
      res.writeHead(200, {
        'Content-Type': out.media.mime,
        'Content-Disposition': `attachment; filename="${out.name}.${out.media.mime.split('/')[1] || 'bin'}"`,
        'Content-Length': out.media.bytes.length,
      });
      res.end(out.media.bytes);
      return undefined;
    }
    if (out.raw !== undefined) return json(res, null, out.raw);
    return json(res, out.reply);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(String(e && e.stack));
    });
  });
  return { server, config: cfg, state: () => st };
}

// Starts the fake API on 127.0.0.1. Resolves to {url, port, config, sent(), requests(), close()}.
function start(opts = {}) {
  const { port = 0, ...rest } = opts;
  const api = createFakeApi(rest);
  return new Promise((resolve, reject) => {
    api.server.once('error', reject);
    api.server.listen(port, '127.0.0.1', () => {
      const p = api.server.address().port;
      resolve({
        url: `http://127.0.0.1:${p}`,
        port: p,
        config: api.config,
        sent: () => api.state().sent,
        requests: () => api.state().requests,
        close: () => new Promise((r) => api.server.close(() => r())),
      });
    });
  });
}

module.exports = { start, createFakeApi, ERR };

if (require.main === module) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : Number(process.env.FAKE_WECHAT_API_PORT || 0);
  start({ port }).then((api) => {
    process.stdout.write(`${JSON.stringify({ listening: api.url, config: api.config })}\n`);
  });
}
