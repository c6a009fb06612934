// The bridge's configuration: one JSON file (config.example.json), checked at start-up. Every
// problem is reported with its JSON path and what to write instead; secrets may be written
// "env:NAME" and are read from the environment.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const DEFAULTS = {
  daiban: { url: 'http://127.0.0.1:8080', tenant: 'demo', timeout_ms: 20000, retry_for_ms: 120000 },
  listen: '127.0.0.1:8090',
  public_url: '',
  callback_path: '/callback',
  state_dir: 'var/bridge',
  puppet: { name: 'wechaty-puppet-wechat4u', token: '', options: {} },
  rooms: [],
  contacts: [],
  unmapped_prefix: 'wx_',
  private_messages: true,
  max_message_age_s: 240,
  group_media_window_s: 600,
  rate: { per_chat: 15, per_account: 40, window_ms: 60000, min_gap_ms: 1500 },
  queue: { max_entries: 5000, keep_keys_days: 7, max_attempts: 30 },
  media: { inline_max_bytes: 2 * 1024 * 1024, max_bytes: 10 * 1024 * 1024, url_ttl_s: 600 },
  texts: { too_large: '这个文件太大了（超过 {mb} MB），请压缩一下或拍得小一点再发。' },
  callback_body_limit: 1024 * 1024,
  callback_max_age_s: 300,
  restart: { backoff_ms: 2000, backoff_max_ms: 60000, errors_before_restart: 5, error_window_ms: 60000 },
  log: 'info',
};

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function merge(base, over) {
  const out = { ...base };
  for (const [k, v] of Object.entries(over || {})) {
    out[k] = isObject(v) && isObject(base[k]) ? merge(base[k], v) : v;
  }
  return out;
}

function secret(value, where, problems) {
  if (typeof value !== 'string') return value;
  if (!value.startsWith('env:')) return value;
  const name = value.slice(4);
  const v = process.env[name];
  if (v === undefined || v === '') problems.push(`${where}: environment variable ${name} is not set`);
  return v || '';
}

function splitListen(listen) {
  const i = String(listen).lastIndexOf(':');
  if (i < 0) return null;
  const port = Number(listen.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) return null;
  return { host: listen.slice(0, i).replace(/^\[|\]$/g, '') || '0.0.0.0', port };
}

// Checks and completes a configuration object. Throws one Error listing every problem.
// `baseDir` resolves a relative state_dir (the config file's folder).
function normalize(raw, baseDir = process.cwd()) {
  const problems = [];
  if (!isObject(raw)) throw new Error('config: must be a JSON object');
  const c = merge(DEFAULTS, raw);

  const before = problems.length;
  c.daiban.secret = secret(c.daiban.secret, 'daiban.secret', problems);
  if (problems.length === before && (typeof c.daiban.secret !== 'string' || c.daiban.secret.length < 16))
    problems.push('daiban.secret: the tenant\'s hook.secret from daiban.json (at least 16 characters), or "env:NAME"');
  if (!/^https?:\/\/[^/]+/.test(c.daiban.url || '')) problems.push('daiban.url: the bot\'s base URL, e.g. "http://127.0.0.1:8080"');
  c.daiban.url = String(c.daiban.url || '').replace(/\/+$/, '');
  if (!/^[a-z0-9_-]{1,32}$/.test(c.daiban.tenant || '')) problems.push('daiban.tenant: the tenant id, e.g. "demo"');

  const listen = splitListen(c.listen);
  if (!listen) problems.push('listen: HOST:PORT for the callback and media endpoint, e.g. "127.0.0.1:8090"');
  c.listenAddress = listen;
  if (c.public_url && !/^https?:\/\/[^/]+/.test(c.public_url))
    problems.push('public_url: the bridge\'s address as the bot reaches it, e.g. "http://127.0.0.1:8090"');
  c.public_url = String(c.public_url || '').replace(/\/+$/, '');
  if (typeof c.callback_path !== 'string' || !c.callback_path.startsWith('/'))
    problems.push('callback_path: a path starting with "/", e.g. "/callback"');

  c.puppet.token = secret(c.puppet.token, 'puppet.token', problems);
  if (typeof c.puppet.name !== 'string' || !c.puppet.name) problems.push('puppet.name: an npm puppet package, e.g. "wechaty-puppet-wechat4u"');

  if (!Array.isArray(c.rooms)) problems.push('rooms: a list of {"group": "g_cl", "topic": "长梁村代理群"} or {"group", "id"}');
  else {
    const seen = new Set();
    c.rooms.forEach((r, i) => {
      const at = `rooms[${i}]`;
      if (!isObject(r)) return problems.push(`${at}: an object {"group", "id" or "topic"}`);
      if (typeof r.group !== 'string' || !r.group) problems.push(`${at}.group: the group id in org.json (e.g. "g_cl")`);
      if (!r.id && !r.topic) problems.push(`${at}: needs "id" (the puppet's room id) or "topic" (the room's name)`);
      if (seen.has(r.group)) problems.push(`${at}.group: "${r.group}" is listed twice`);
      seen.add(r.group);
    });
  }
  if (!Array.isArray(c.contacts)) problems.push('contacts: a list of {"hook_id": "u_agent_cl_1", "alias"|"name"|"id": ...}');
  else {
    const seen = new Set();
    c.contacts.forEach((p, i) => {
      const at = `contacts[${i}]`;
      if (!isObject(p)) return problems.push(`${at}: an object {"hook_id", "id"|"alias"|"name"}`);
      if (typeof p.hook_id !== 'string' || !p.hook_id || p.hook_id.length > 128)
        problems.push(`${at}.hook_id: the account id in org.json ("ids": {"hook": ...}), at most 128 bytes`);
      if (!p.id && !p.alias && !p.name) problems.push(`${at}: needs "id", "alias" (your remark for them) or "name" (their WeChat name)`);
      if (seen.has(p.hook_id)) problems.push(`${at}.hook_id: "${p.hook_id}" is listed twice`);
      seen.add(p.hook_id);
    });
  }
  for (const [k, v] of Object.entries(c.rate))
    if (!(Number.isFinite(v) && v >= 0)) problems.push(`rate.${k}: a number ≥ 0`);
  if (!(c.rate.per_chat >= 1)) problems.push('rate.per_chat: at least 1 message per window');
  if (!(c.rate.per_account >= 1)) problems.push('rate.per_account: at least 1 message per window');
  if (!(c.queue.max_entries >= 1)) problems.push('queue.max_entries: at least 1');
  if (!(c.media.inline_max_bytes >= 0 && c.media.inline_max_bytes <= 2 * 1024 * 1024))
    problems.push('media.inline_max_bytes: 0..2097152 (the hook refuses larger inline data)');
  if (!(c.media.max_bytes > 0)) problems.push('media.max_bytes: the largest photo or file to forward, in bytes (the bot keeps materials up to 10 MB)');
  if (!(Number.isInteger(c.callback_max_age_s) && c.callback_max_age_s >= 30))
    problems.push('callback_max_age_s: whole seconds, at least 30 (a callback sent longer ago is refused as a replay)');
  if (!(c.group_media_window_s >= 0)) problems.push('group_media_window_s: seconds (0: a photo in a room is never taken as addressed to the bot)');
  if (!isObject(c.texts) || typeof c.texts.too_large !== 'string') problems.push('texts.too_large: what a sender of a too large file is told ({mb}: the limit)');
  if (!['debug', 'info', 'warn', 'error'].includes(c.log)) problems.push('log: debug, info, warn or error');

  if (problems.length) throw new Error(`bridge config:\n  ${problems.join('\n  ')}`);
  c.state_dir = path.resolve(baseDir, c.state_dir);
  // Empty public_url: the listening address (known once listening; port 0 picks a free one).
  return c;
}

function load(file) {
  let raw;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`bridge config ${file}: ${e.message}`);
  }
  return normalize(raw, path.dirname(path.resolve(file)));
}

module.exports = { load, normalize, DEFAULTS };
