// e2e: the server's outbound HTTPS client refuses a peer whose certificate the system store does
// not trust (a self-signed one), before sending anything: tokens and secrets never reach an
// impostor. And the success path: a platform whose certificate chains to a CA the trust store
// holds (OpenSSL's default verify paths, which honour SSL_CERT_FILE) is reached over TLS — the
// token and the medium come through — while a certificate from that CA for another host is
// still refused. Uses `daiban media get` (needs DAIBAN_BIN, DAIBAN_E2E_CONFIG for the Redis
// address) and the openssl CLI; skips without them.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const crypto = require('node:crypto');
const https = require('node:https');
const os = require('node:os');
const path = require('node:path');
const fake = require('./fake_wechat_api');

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

function openssl(...args) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
}

// A throw-away CA, and a server certificate signed by it for `san` (e.g. "IP:127.0.0.1").
function makeCa(dir) {
  const ca = { key: path.join(dir, 'ca.key'), cert: path.join(dir, 'ca.pem') };
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', '/CN=daiban e2e throw-away CA', '-keyout', ca.key, '-out', ca.cert, '-days', '1',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  return ca;
}

function makeServerCert(dir, ca, name, san) {
  const key = path.join(dir, `${name}.key`);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const ext = path.join(dir, `${name}.ext`);
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${name}`,
    '-keyout', key, '-out', csr);
  fs.writeFileSync(ext, `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
  openssl('x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-out', cert, '-days', '1', '-extfile', ext);
  return { key: fs.readFileSync(key), cert: fs.readFileSync(cert) };
}

// The fake WeChat API (it enforces the protocol: credentials, token checks, media/get answers)
// served over HTTPS with `tlsOptions`. Resolves to {url, api, close()}.
async function httpsFakeApi(tlsOptions) {
  const api = fake.createFakeApi();
  const server = https.createServer(tlsOptions, api.server.listeners('request')[0]);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://127.0.0.1:${server.address().port}`, api, close: () => new Promise((r) => server.close(r)) };
}

// A config with one tenant (a fresh id: no token cached in Redis) whose api_base is `apiBase`.
function configFor(dir, apiBase) {
  const base = JSON.parse(fs.readFileSync(process.env.DAIBAN_E2E_CONFIG, 'utf8'));
  const id = `tls-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const tenant = { ...base.tenants[0], id };
  tenant.wechat = { ...tenant.wechat, api_base: apiBase };
  delete tenant.wecom;
  const file = path.join(dir, `config-${id}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...base, tenants: [tenant] }));
  return { id, file, appid: tenant.wechat.appid };
}

// `daiban media get`, asynchronously: the TLS server lives in this process and must keep answering.
function mediaGet(cfg, args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.env.DAIBAN_BIN, ['media', 'get', '--tenant', cfg.id, '--config', cfg.file, ...args],
      { cwd: path.join(__dirname, '../..'), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

function envWithout(...names) {
  const env = { ...process.env };
  for (const n of names) delete env[n];
  return env;
}

test('HTTPS: a platform certificate from a CA in SSL_CERT_FILE is trusted: token and medium come over TLS', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-tls-ok-'));
  const ca = makeCa(dir);
  const srv = await httpsFakeApi(makeServerCert(dir, ca, '127.0.0.1', 'IP:127.0.0.1'));
  try {
    // The chain is valid for a client that trusts the CA (Node checks it, independently of us):
    // this registers the medium the platform will serve.
    const photo = crypto.randomBytes(4096);
    const ctl = await new Promise((resolve, reject) => {
      const req = https.request(`${srv.url}/__control`, { method: 'POST', ca: fs.readFileSync(ca.cert), headers: { 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ media: { m_tls_photo: { base64: photo.toString('base64'), mime: 'image/jpeg' } } }));
    });
    assert.equal(ctl, 200);
    const cfg = configFor(dir, srv.url);
    const out = path.join(dir, 'photo.jpg');

    // Without the CA in the trust store the same server is refused, before any request.
    const refused = await mediaGet(cfg, ['--media-id', 'm_tls_photo', '--out', out], envWithout('SSL_CERT_FILE'));
    assert.equal(refused.status, 1, refused.stdout);
    assert.match(refused.stderr, /certificate verify failed/);
    assert.equal(srv.api.state().requests.length, 0);
    assert.ok(!fs.existsSync(out));

    // With SSL_CERT_FILE naming the CA: token, then the medium, over TLS.
    const ok = await mediaGet(cfg, ['--media-id', 'm_tls_photo', '--out', out], { ...process.env, SSL_CERT_FILE: ca.cert });
    assert.equal(ok.status, 0, ok.stderr);
    const info = JSON.parse(ok.stdout.trim().split('\n').pop());
    assert.equal(info.bytes, photo.length);
    assert.equal(info.content_type, 'image/jpeg');
    assert.ok(info.file_name.startsWith('m_tls_photo'), info.file_name);
    assert.deepEqual(fs.readFileSync(out), photo);
    const seen = srv.api.state().requests.map((q) => ({ method: q.method, path: q.path, errcode: q.errcode }));
    assert.deepEqual(seen, [
      { method: 'POST', path: '/cgi-bin/stable_token', errcode: 0 },
      { method: 'GET', path: '/cgi-bin/media/get', errcode: 0 },
    ]);
    const [tokenReq, mediaReq] = srv.api.state().requests;
    assert.equal(tokenReq.body.appid, cfg.appid);
    assert.equal(mediaReq.query.media_id, 'm_tls_photo');
    assert.equal(mediaReq.query.access_token, srv.api.state().current.stable, 'the token just obtained over TLS');
  } finally {
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('HTTPS: a certificate from the trusted CA but for another host is refused, nothing is sent', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daiban-tls-host-'));
  const ca = makeCa(dir);
  const srv = await httpsFakeApi(makeServerCert(dir, ca, 'api.weixin.qq.com', 'DNS:api.weixin.qq.com'));
  try {
    const cfg = configFor(dir, srv.url);
    const r = await mediaGet(cfg, ['--media-id', 'm1'], { ...process.env, SSL_CERT_FILE: ca.cert });
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, /certificate verify failed/);
    assert.equal(srv.api.state().requests.length, 0, 'no request (with the secret) reached a server named otherwise');
  } finally {
    await srv.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
