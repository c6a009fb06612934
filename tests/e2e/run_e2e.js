// e2e driver (CTest runs this; see tests/e2e.cmake): starts the fake WeChat API, writes a config
// with the e2e tenant (wechat + wecom, api_base = the fake API, a short reply budget), starts the
// built daiban against the CTest fixture's Redis, runs `node --test` with DAIBAN_URL /
// FAKE_WECHAT_API / DAIBAN_E2E_SLOW_TEXT set, and stops the server. Exit code = the tests'.
// Usage: node run_e2e.js DAIBAN_BIN REDIS_ADDR_FILE SOURCE_DIR VAR_DIR [FILE.test.js]
// (CTest passes one file per test; without it, every *.test.js here runs.)
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const fake = require('./fake_wechat_api');
const { tenantConfig } = require('./e2e_config');

const [bin, redisAddrFile, sourceDir, varDir, onlyFile] = process.argv.slice(2);
// The slow text only works in builds with DAIBAN_TEST_HOOKS (the dev/tsan presets).
const SLOW_TEXT = '测试：慢一点回答';
const REPLY_BUDGET_MS = 1000;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(url) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`daiban did not become ready at ${url}`);
}

async function main() {
  fs.mkdirSync(varDir, { recursive: true });
  const api = await fake.start({ port: 0 });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tenant = tenantConfig(api.url);
  tenant.data = path.join(sourceDir, 'deploy/tenants/demo');
  tenant.wechat.reply_budget_ms = REPLY_BUDGET_MS;
  tenant.wecom.reply_budget_ms = REPLY_BUDGET_MS;
  // Pushes after the 48 h window closed fall back to this template (the fake knows its id).
  tenant.wechat.template_id = api.config.template_ids ? api.config.template_ids[0] : 'tmpl_case_update';
  const config = {
    listen: `127.0.0.1:${port}`,
    redis: fs.readFileSync(redisAddrFile, 'utf8').trim(),
    threads: 2,
    log: 'info',
    holidays_dir: path.join(sourceDir, 'deploy/holidays'),
    // Stored photos go under the build tree, never into the source checkout.
    data_dir: path.join(varDir, 'data'),
    outbox: { block_ms: 200, backoff_base_ms: 200, backoff_max_ms: 2000 },
    console: { dir: path.join(sourceDir, 'console'), public_url: url },
    tenants: [tenant],
  };
  const configFile = path.join(varDir, `e2e-${port}.json`);
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  const log = fs.openSync(path.join(varDir, `e2e-daiban-${port}.log`), 'a');
  const server = spawn(bin, ['serve', '--config', configFile], {
    stdio: ['ignore', log, log],
    env: { ...process.env, DAIBAN_TEST_SLOW_TEXT: SLOW_TEXT, DAIBAN_TEST_SLOW_MS: '2000' },
  });
  let code = 1;
  try {
    await waitReady(url);
    // One named file (CTest's way), else DAIBAN_E2E_ONLY=crash: the files whose name contains
    // "crash" (while working on one); neither: all of them.
    const only = process.env.DAIBAN_E2E_ONLY || '';
    const files = onlyFile ? [onlyFile]
      : fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && f.includes(only)).sort();
    const tests = spawn(process.execPath, ['--test', ...files], {
      cwd: __dirname,
      stdio: 'inherit',
      env: {
        ...process.env,
        DAIBAN_URL: url,
        FAKE_WECHAT_API: api.url,
        DAIBAN_E2E_SLOW_TEXT: SLOW_TEXT,
        DAIBAN_E2E_REPLY_BUDGET_MS: String(REPLY_BUDGET_MS),
        DAIBAN_BIN: bin,
        DAIBAN_E2E_CONFIG: configFile,
        DAIBAN_E2E_VAR: varDir,
      },
    });
    code = await new Promise((resolve) => tests.on('exit', (c) => resolve(c ?? 1)));
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    await api.close();
  }
  process.exit(code);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
