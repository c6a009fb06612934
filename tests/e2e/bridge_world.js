// e2e helper for bridge.test.js: a mocked WeChat — wechaty-puppet-mock's Mocker with the people
// and rooms of the demo county (deploy/tenants/demo/org.json) — and the bridge (bridge/) running
// on it, in this process. Everything the bridge's account says is recorded per room and per
// contact, so a test waits for what a villager would read. The same world can be built again
// (same ids) for a new bridge after a restart. Installs bridge/'s npm packages (npm ci
// --prefer-offline) when they are missing: CI starts from a fresh clone.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');

const BRIDGE_DIR = path.join(__dirname, '../../bridge');

function ensureBridgePackages() {
  const marker = path.join(BRIDGE_DIR, 'node_modules/.package-lock.json');
  const lock = path.join(BRIDGE_DIR, 'package-lock.json');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  const r = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: BRIDGE_DIR, stdio: 'inherit', timeout: 300000 });
  if (r.status !== 0) throw new Error(`npm ci in ${BRIDGE_DIR} failed (${r.status ?? r.signal})`);
}

ensureBridgePackages();
const bridgeRequire = createRequire(path.join(BRIDGE_DIR, 'package.json'));
const { PuppetMock, mock } = bridgeRequire('wechaty-puppet-mock');
const { FileBox } = bridgeRequire('file-box');
const { types } = bridgeRequire('wechaty');
const { createBridge } = require(path.join(BRIDGE_DIR, 'lib/bridge.js'));

const BOT = { id: 'daiban-bot-self', name: '代办助手' };

// The mocked account's people and rooms. Room ids carry '@' (the mock tells rooms by it).
// `people`: [{key, id, name, alias?}], `rooms`: [{key, id, topic, members: [person keys]}].
function buildWorld({ people, rooms }) {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const self = mocker.createContact({ id: BOT.id, name: BOT.name });
  const contacts = {};
  for (const p of people) contacts[p.key] = mocker.createContact({ id: p.id, name: p.name, alias: p.alias });
  const roomMocks = {};
  for (const r of rooms) {
    roomMocks[r.key] = mocker.createRoom({ id: r.id, topic: r.topic, memberIdList: [BOT.id, ...r.members.map((k) => contacts[k].id)] });
  }
  // What the bridge's account says: {where: room key | "@" + person key, text, at}.
  const said = [];
  for (const [key, room] of Object.entries(roomMocks)) {
    room.on('message', (m) => {
      if (m.payload.talkerId === BOT.id) said.push({ where: key, text: m.payload.text || '', at: Date.now() });
    });
  }
  for (const [key, c] of Object.entries(contacts)) {
    c.on('message', (m) => {
      if (m.payload.talkerId === BOT.id && m.payload.listenerId === c.id) said.push({ where: `@${key}`, text: m.payload.text || '', at: Date.now() });
    });
  }
  return {
    mocker,
    puppet,
    self,
    contacts,
    rooms: roomMocks,
    said,
    login: () => mocker.login(self),
    logout: () => puppet.logout('test: the phone went offline'),
    // `who` says `text` in room `where` (a room key) or privately to the bot (where = null);
    // mentionBot puts "@代办助手" first and the bot in the mention list, as WeChat does.
    say(who, text, where, { mentionBot = false } = {}) {
      const c = contacts[who];
      if (!where) return c.say(text).to(self);
      return c.say(mentionBot ? `@${BOT.name}\u2005${text}` : text, mentionBot ? [self] : []).to(roomMocks[where]);
    },
    // A photo (bytes) from `who` in room `where` (or privately).
    photo(who, bytes, name, where) {
      const box = FileBox.fromBase64(bytes.toString('base64'), name);
      return contacts[who].say(box).to(where ? roomMocks[where] : self);
    },
    // A voice message whose words the puppet recognised (as padlocal-style puppets give them).
    voice(who, words, where, audio = Buffer.from('#!SILK_V3 test voice')) {
      const id = `voice-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      mocker.cacheFileBoxPayload.set(id, FileBox.fromBase64(audio.toString('base64'), 'voice.silk').toJSON());
      const payload = { id, talkerId: contacts[who].id, timestamp: Date.now(), type: types.Message.Audio, text: words };
      if (where) Object.assign(payload, { roomId: roomMocks[where].id, mentionIdList: [] });
      else payload.listenerId = self.id;
      mocker.MessageMock.create(payload);
      puppet.emit('message', { messageId: id });
    },
    // Messages said in `where` (room key or "@person") so far, or from index `from` on.
    texts(where, from = 0) {
      return said.slice(from).filter((s) => s.where === where).map((s) => s.text);
    },
  };
}

// A bridge on `world`'s puppet; `logs` collects its log lines ({line, level, event, fields}).
function startBridge(world, config, { clock, logs = [] } = {}) {
  const bridge = createBridge({
    config,
    puppet: world.puppet,
    clock,
    showQrCode: false,
    logSink: (line, level, event, fields) => logs.push({ line, level, event, fields }),
  });
  bridge.logs = logs;
  return bridge;
}

module.exports = { buildWorld, startBridge, BOT, BRIDGE_DIR, FileBox, types };
