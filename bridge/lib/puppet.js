// The WeChat account: a Wechaty 1.x instance on the configured puppet, kept alive. The login QR
// code is drawn in the terminal (and given as a link) whenever the puppet asks for a scan. Puppet
// errors are counted: when the account is no longer logged in after one, or errors keep coming
// (`errors_before_restart` within `error_window_ms`), Wechaty is stopped and started again, with a
// growing pause between restarts (`backoff_ms` doubling up to `backoff_max_ms`). The session is
// kept in state_dir (Wechaty's memory card), so a restart of a puppet that supports it needs no
// new scan.
'use strict';

const path = require('node:path');
const { EventEmitter } = require('node:events');
const { WechatyBuilder, types } = require('wechaty');

function showQr(qrcode, log) {
  try {
    require('qrcode-terminal').generate(qrcode, { small: true }, (art) => process.stderr.write(`${art}\n`));
  } catch {}
  log?.info('login_qr', { detail: 'scan with the bot account\'s WeChat', url: `https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}` });
}

class PuppetSupervisor extends EventEmitter {
  // `puppet`: a puppet instance (tests: wechaty-puppet-mock), else built from config.puppet.
  constructor({ config, puppet, log, showQrCode = true }) {
    super();
    this.config = config;
    this.injected = puppet || null;
    this.log = log;
    this.showQrCode = showQrCode;
    this.wechaty = null;
    this.errors = [];
    this.restarts = 0;
    this.restarting = null;
    this.stopped = false;
    this.user = null;
  }

  build() {
    const p = this.config.puppet;
    const options = {
      name: path.join(this.config.state_dir, 'wechaty'), // → wechaty.memory-card.json: the session
    };
    if (this.injected) options.puppet = this.injected;
    else {
      options.puppet = p.name;
      options.puppetOptions = { ...(p.options || {}), ...(p.token ? { token: p.token } : {}) };
    }
    const w = WechatyBuilder.build(options);
    w.on('scan', (qrcode, status) => {
      if (status === types.ScanStatus.Waiting || status === types.ScanStatus.Timeout) {
        if (this.showQrCode && qrcode) showQr(qrcode, this.log);
        else this.log?.info('login_scan', { status: types.ScanStatus[status] });
      } else {
        this.log?.info('login_scan', { status: types.ScanStatus[status] });
      }
      this.emit('scan', qrcode, status);
    });
    w.on('login', (user) => {
      this.user = user;
      this.log?.info('login', { user: user.id, name: user.name() });
      this.emit('login', user);
    });
    w.on('logout', (user, reason) => {
      this.user = null;
      this.log?.warn('logout', { user: user && user.id, reason });
      this.emit('logout', user);
    });
    w.on('error', (e) => this.onError(e));
    w.on('message', (msg) => this.emit('message', msg));
    w.on('room-topic', (room) => this.emit('room-topic', room));
    return w;
  }

  isLoggedIn() {
    try {
      return !!(this.wechaty && this.wechaty.isLoggedIn);
    } catch {
      return false;
    }
  }

  async start() {
    this.wechaty = this.build();
    this.emit('wechaty', this.wechaty);
    await this.wechaty.start();
    this.log?.info('puppet_started', { puppet: this.injected ? this.injected.constructor.name : this.config.puppet.name });
  }

  onError(e) {
    const now = Date.now();
    const r = this.config.restart;
    this.errors = this.errors.filter((t) => t > now - r.error_window_ms);
    this.errors.push(now);
    this.log?.warn('puppet_error', { reason: (e && (e.message || e.details)) || String(e), logged_in: this.isLoggedIn() });
    if (this.stopped || this.restarting) return;
    if (this.errors.length >= r.errors_before_restart || (this.wechaty && this.wechaty.isLoggedIn === false && this.user)) {
      this.restart('puppet errors');
    }
  }

  // Stops and starts Wechaty again (after a pause that grows with each restart).
  restart(reason) {
    if (this.restarting || this.stopped) return this.restarting;
    const r = this.config.restart;
    const pause = Math.min(r.backoff_ms * 2 ** Math.min(this.restarts, 10), r.backoff_max_ms);
    this.restarts++;
    this.log?.warn('puppet_restart', { reason, pause_ms: pause, restarts: this.restarts });
    this.restarting = (async () => {
      try {
        this.user = null;
        this.emit('logout', null);
        try {
          await this.wechaty.stop();
        } catch (e) {
          this.log?.warn('puppet_stop_failed', { reason: e.message });
        }
        await new Promise((res) => setTimeout(res, pause));
        if (this.stopped) return;
        this.errors = [];
        await this.wechaty.start();
        this.emit('restarted', this.wechaty);
      } catch (e) {
        this.log?.error('puppet_restart_failed', { reason: e.message });
        this.restarting = null;
        if (!this.stopped) setTimeout(() => this.restart('restart failed'), 1000);
        return;
      }
      this.restarting = null;
    })();
    return this.restarting;
  }

  async stop() {
    this.stopped = true;
    if (this.restarting) await this.restarting.catch(() => {});
    if (this.wechaty) {
      try {
        await this.wechaty.stop();
      } catch (e) {
        this.log?.warn('puppet_stop_failed', { reason: e.message });
      }
    }
  }
}

module.exports = { PuppetSupervisor };
