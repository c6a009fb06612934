// e2e: the server's outbound HTTPS client refuses a peer whose certificate the system store does
// not trust (a self-signed one), before sending anything: tokens and secrets never reach an
// impostor. Uses `daiban media get` (needs DAIBAN_BIN, DAIBAN_E2E_CONFIG for the Redis address)
// and the openssl CLI; skips without them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const skip = (!process.env.DAIBAN_BIN && 'DAIBAN_BIN not set') || (!process.env.DAIBAN_E2E_CONFIG && 'DAIBAN_E2E_CONFIG not set') || (!haveOpenssl && 'openssl not found');

test('HTTPS: a self-signed platform certificate is refused, nothing is sent', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-tls-'));
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert, '-days', '1'], { encoding: 'utf8' });
  assert.equal(gen.status, 0, gen.stderr);
  let requests = 0;
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    requests += 1;
    res.end('{"access_token":"stolen","expires_in":7200}');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const base = JSON.parse(fs.readFileSync(process.env.DAIBAN_E2E_CONFIG, 'utf8'));
    const tenant = { ...base.tenants[0], id: 'tls_check' };
    tenant.wechat = { ...tenant.wechat, api_base: `https://127.0.0.1:${server.address().port}` };
    delete tenant.wecom;
    const cfgFile = path.join(dir, 'config.json');
    fs.writeFileSync(cfgFile, JSON.stringify({ ...base, tenants: [tenant] }));
    // Asynchronously: the TLS server lives in this process and must keep answering.
    const r = await new Promise((resolve) => {
      const child = spawn(process.env.DAIBAN_BIN, ['media', 'get', '--tenant', 'tls_check', '--media-id', 'm1', '--config', cfgFile],
        { cwd: path.join(__dirname, '../..') });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /certificate verify failed/);
    assert.equal(requests, 0, 'no HTTP request (with the secret) reached the untrusted server');
  } finally {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
