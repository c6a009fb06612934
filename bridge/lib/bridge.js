// The bridge, wired: WeChat (Wechaty) ⇄ daiban's JSON hook.
//   inbound   puppet message → Inbound (hook body) → HookClient (signed POST) → the replies in
//             the response go into the Journal
//   pushes    the bot's POST to the callback → CallbackServer (verified, de-duplicated) → Journal
//   outbound  Journal → Sender (in order, rate-limited, only while logged in) → Wechaty say
// Used by index.js (the command line) and by tests and scripts that bring their own puppet:
//   const { createBridge } = require('daiban-bridge');   // bridge/lib/bridge.js
//   const bridge = createBridge({ config, puppet });        // config: object or file name
//   await bridge.start(); … bridge.status(); await bridge.stop();
// Events: 'hook' ({body, result}), 'said' (entry), 'failed' (entry, error), 'accepted' (entries),
// 'skipped' ({reason, message}), plus the puppet's 'login' / 'logout' / 'scan'.
'use strict';

const { EventEmitter } = require('node:events');
const config_ = require('./config');
const { createLogger } = require('./log');
const { Journal } = require('./journal');
const { RateLimiter } = require('./rate_limit');
const { MediaStore } = require('./media_store');
const { Directory } = require('./directory');
const { Inbound } = require('./inbound');
const { HookClient } = require('./hook_client');
const { Sender } = require('./sender');
const { CallbackServer } = require('./callback_server');
const { PuppetSupervisor } = require('./puppet');
const outbound = require('./outbound');

class Bridge extends EventEmitter {
  // options: config (object or file), puppet (instance; default: config.puppet.name),
  // clock (unix ms for the hook's `time`, default Date.now: a test that moves the bot's clock
  // passes the bot's), log ({debug,info,warn,error}) or logSink (line → void), showQrCode.
  constructor(options = {}) {
    super();
    const cfg = typeof options.config === 'string' ? config_.load(options.config) : config_.normalize(options.config || {});
    this.config = cfg;
    this.log = options.log || createLogger({ level: cfg.log, sink: options.logSink });
    this.clock = options.clock || Date.now;
    this.stats = { callbacks: 0, duplicates: 0, badSignatures: 0, staleCallbacks: 0, unknownChats: 0, queueFull: 0, mediaServed: 0, inbound: 0, hookOk: 0, hookFailed: 0, skipped: {} };
    this.journal = new Journal({
      dir: cfg.state_dir,
      maxEntries: cfg.queue.max_entries,
      keepKeysMs: cfg.queue.keep_keys_days * 86400000,
      log: this.log,
    });
    this.media = new MediaStore({ secret: cfg.daiban.secret, ttlS: cfg.media.url_ttl_s });
    this.directory = new Directory({ rooms: cfg.rooms, contacts: cfg.contacts, unmappedPrefix: cfg.unmapped_prefix, log: this.log });
    this.inbound = new Inbound({ directory: this.directory, media: this.media, config: cfg });
    this.hook = new HookClient({
      url: cfg.daiban.url,
      tenant: cfg.daiban.tenant,
      secret: cfg.daiban.secret,
      timeoutMs: cfg.daiban.timeout_ms,
      retryForMs: cfg.daiban.retry_for_ms,
      now: () => this.clock(),
      log: this.log,
    });
    this.puppet = new PuppetSupervisor({ config: cfg, puppet: options.puppet, log: this.log, showQrCode: options.showQrCode !== false });
    this.sender = new Sender({
      journal: this.journal,
      limiter: new RateLimiter(cfg.rate),
      say: (entry) => outbound.say(this.directory, entry.reply),
      isOnline: () => this.puppet.isLoggedIn(),
      maxAttempts: cfg.queue.max_attempts,
      log: this.log,
    });
    this.server = new CallbackServer({
      secret: cfg.daiban.secret,
      path: cfg.callback_path,
      bodyLimit: cfg.callback_body_limit,
      maxAgeS: cfg.callback_max_age_s,
      journal: this.journal,
      directory: this.directory,
      media: this.media,
      stats: this.stats,
      log: this.log,
      status: () => this.status(),
      onAccepted: (entries) => {
        this.emit('accepted', entries);
        this.sender.kick();
      },
    });
    this.chains = new Map(); // chat → the promise of its last inbound message (one at a time, in order)
    this.started = false;

    this.sender.on('said', (e) => {
      // The bot @-mentioned someone in a room: a photo they send next is for the bot.
      const r = e.reply;
      if (r.chat.type === 'group' && Array.isArray(r.mention)) for (const id of r.mention) this.inbound.noteEngaged(r.chat.id, id);
      this.emit('said', e);
    });
    this.sender.on('failed', (e, err) => this.emit('failed', e, err));
    this.puppet.on('wechaty', (w) => this.directory.attach(w));
    this.puppet.on('restarted', (w) => this.directory.attach(w));
    this.puppet.on('login', (u) => {
      this.emit('login', u);
      this.sender.kick();
    });
    this.puppet.on('logout', (u) => this.emit('logout', u));
    this.puppet.on('scan', (q, s) => this.emit('scan', q, s));
    this.puppet.on('room-topic', (room) => this.directory.forgetRoom(room.id));
    this.puppet.on('message', (msg) => this.receive(msg));
  }

  get wechaty() {
    return this.puppet.wechaty;
  }

  // The URL to put in daiban.json as the tenant's hook.callback_url.
  get callbackUrl() {
    return `${this.config.public_url}${this.config.callback_path}`;
  }

  async start() {
    this.journal.open();
    const { host, port } = this.config.listenAddress;
    const addr = await this.server.listen(host, port);
    if (!this.config.public_url) {
      const h = ['0.0.0.0', '::'].includes(addr.address) ? '127.0.0.1' : addr.address;
      this.config.public_url = `http://${h.includes(':') ? `[${h}]` : h}:${addr.port}`;
    }
    this.log.info('bridge_listening', { callback_url: this.callbackUrl, queued: this.journal.size(), state_dir: this.config.state_dir });
    await this.puppet.start();
    this.started = true;
    return this;
  }

  receive(msg) {
    const chat = msg.room() ? `r:${msg.room().id}` : `c:${msg.talker()?.id}`;
    const prev = this.chains.get(chat) || Promise.resolve();
    const next = prev.then(() => this.forward(msg)).catch((e) => this.log.error('inbound_failed', { reason: e.message, stack: e.stack?.split('\n')[1]?.trim() }));
    this.chains.set(chat, next);
    next.finally(() => {
      if (this.chains.get(chat) === next) this.chains.delete(chat);
    });
  }

  async forward(msg) {
    const got = await this.inbound.toHook(msg, 0);
    if (got.skip) {
      this.stats.skipped[got.skip] = (this.stats.skipped[got.skip] || 0) + 1;
      if (got.skip !== 'self') this.log.debug('inbound_skipped', { reason: got.skip, message: msg.id });
      if (got.skip === 'too_large') {
        this.log.warn('inbound_too_large', { message: msg.id, bytes: got.bytes, told: !!got.tell });
        if (got.tell) {
          const mb = Math.floor(this.config.media.max_bytes / (1024 * 1024));
          const text = this.config.texts.too_large.replace('{mb}', String(mb));
          this.journal.add(null, [{ chat: `p:${got.tell}`, reply: { chat: { type: 'private', id: got.tell }, text, mention: [] } }], 'bridge');
          this.sender.kick();
        }
      }
      this.emit('skipped', { reason: got.skip, message: msg });
      return;
    }
    this.stats.inbound++;
    const { body, mediaId } = got;
    const started = Date.now();
    let result;
    try {
      result = await this.hook.post((nowS) => ({ ...body, time: nowS }));
    } finally {
      if (mediaId) this.media.drop(mediaId);
    }
    const fields = { message: body.id, chat: `${body.chat.type === 'group' ? 'g' : 'p'}:${body.chat.id}`, type: body.type, ms: Date.now() - started };
    if (!result.ok) {
      this.stats.hookFailed++;
      this.log.error('hook_failed', { ...fields, status: result.status, error: result.error, field: result.field, detail: result.detail });
      this.emit('hook', { body, result });
      return;
    }
    this.stats.hookOk++;
    const items = [];
    for (const reply of result.replies) {
      try {
        items.push({ chat: outbound.chatKey(reply), reply });
      } catch (e) {
        this.log.error('bad_reply', { ...fields, reason: e.message });
      }
    }
    if (items.length) this.journal.add(null, items, 'response');
    this.log.info('hook_ok', { ...fields, replies: items.length, duplicate: result.duplicate || undefined });
    this.emit('hook', { body, result });
    if (items.length) this.sender.kick();
  }

  status() {
    return {
      logged_in: this.puppet.isLoggedIn(),
      user: this.puppet.user ? this.puppet.user.id : null,
      callback_url: this.callbackUrl,
      queued: this.journal.size(),
      said: this.sender.saidCount,
      undeliverable: this.sender.failedCount,
      callbacks: this.stats.callbacks,
      duplicates: this.stats.duplicates,
      stale_callbacks: this.stats.staleCallbacks,
      bad_signatures: this.stats.badSignatures,
      unknown_chats: this.stats.unknownChats,
      queue_full: this.stats.queueFull,
      inbound: this.stats.inbound,
      hook_ok: this.stats.hookOk,
      hook_failed: this.stats.hookFailed,
      skipped: { ...this.stats.skipped },
      media_served: this.stats.mediaServed,
      restarts: this.puppet.restarts,
    };
  }

  // Stops taking pushes, lets the message being said finish, waits (briefly) for messages on
  // their way to the bot, stops the puppet. What is queued stays on disk for the next start.
  async stop() {
    await this.server.close();
    await this.sender.stop();
    this.hook.stopped = true;
    const pending = [...this.chains.values()];
    await Promise.race([Promise.allSettled(pending), new Promise((r) => setTimeout(r, 5000))]);
    await this.puppet.stop();
    this.journal.close();
    this.log.info('bridge_stopped', { queued: this.journal.size() });
  }
}

function createBridge(options) {
  return new Bridge(options);
}

module.exports = { createBridge, Bridge };
