#!/usr/bin/env node
// daiban-bridge: village WeChat groups ⇄ daiban's JSON hook (README.md).
//   node index.js --config bridge.json            run with the configured puppet
//   node index.js --config bridge.json --check    check the config and exit (1 on a problem)
//   node index.js --config bridge.json --mock-script drive.js
//        run on wechaty-puppet-mock; drive.js exports async ({mocker, bridge, FileBox, types})
//        and plays the people in the rooms (tests, demos, a checker's own scenario)
// SIGINT/SIGTERM stop it; what is still to be said stays queued in state_dir for the next start.
'use strict';

const path = require('node:path');

function usage(code) {
  process.stderr.write('usage: node index.js --config FILE [--check] [--mock-script FILE]\n');
  process.exit(code);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config') out.config = argv[++i];
    else if (a === '--check') out.check = true;
    else if (a === '--mock-script') out.mockScript = argv[++i];
    else if (a === '--help' || a === '-h') usage(0);
    else {
      process.stderr.write(`unknown argument ${a}\n`);
      usage(2);
    }
  }
  if (!out.config) usage(2);
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = require('./lib/config');
  let cfg;
  try {
    cfg = config.load(args.config);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  if (args.check) {
    process.stdout.write(`ok: ${cfg.rooms.length} rooms, ${cfg.contacts.length} contacts, puppet ${cfg.puppet.name}\n`);
    return;
  }
  const { createBridge } = require('./lib/bridge');
  let puppet;
  let drive;
  let mocker;
  if (args.mockScript) {
    const { PuppetMock, mock } = require('wechaty-puppet-mock');
    mocker = new mock.Mocker();
    puppet = new PuppetMock({ mocker });
    drive = require(path.resolve(args.mockScript));
    if (typeof drive !== 'function') drive = drive.default || drive.run;
    if (typeof drive !== 'function') throw new Error(`${args.mockScript} must export a function`);
  }
  const bridge = createBridge({ config: args.config, puppet });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    bridge.log.info('signal', { signal });
    const t = setTimeout(() => process.exit(1), 15000);
    await bridge.stop();
    clearTimeout(t);
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  await bridge.start();
  process.stderr.write(`daiban-bridge: set the tenant's hook.callback_url in daiban.json to ${bridge.callbackUrl}\n`);
  if (drive) {
    const { FileBox } = require('file-box');
    const { types } = require('wechaty');
    await drive({ mocker, bridge, FileBox, types });
  }
}

main().catch((e) => {
  process.stderr.write(`daiban-bridge: ${e.stack || e.message}\n`);
  process.exit(1);
});
