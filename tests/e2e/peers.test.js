// e2e (no server needed): the independent npm peers agree with the published vectors that our C++
// unit tests check (tests/data/wechat_vectors.json). If a peer and our code both match the same
// vectors, an e2e failure against the server is the server's fault, not the harness's.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const WXBizMsgCrypt = require('wechat-crypto');
const wecom = require('@wecom/crypto');

const dataDir = path.resolve(__dirname, '../data');
const vectors = JSON.parse(fs.readFileSync(path.join(dataDir, 'wechat_vectors.json'), 'utf8'));

test('signatures: @wecom/crypto and wechat-crypto reproduce every vector', () => {
  for (const v of vectors.signatures) {
    const [token, ts, nonce, enc = ''] = v.parts;
    assert.equal(wecom.getSignature(token, ts, nonce, enc), v.sha1, v.id);
    const c = new WXBizMsgCrypt(token, 'A'.repeat(43), 'wx');
    assert.equal(c.getSignature(ts, nonce, enc), v.sha1, v.id);
  }
});

test('decrypt vectors: message and receive id', () => {
  for (const v of vectors.decrypt) {
    const out = wecom.decrypt(v.aes_key, v.encrypt);
    assert.equal(out.id, v.receive_id, v.id);
    if (v.message) assert.equal(out.message, v.message, v.id);
    if (v.contains) assert.ok(out.message.includes(v.contains), v.id);
    if (v.msg_bytes) assert.equal(Buffer.byteLength(out.message), v.msg_bytes, v.id);
  }
});

test('encrypt vectors: byte-exact with the published random prefix', () => {
  for (const v of vectors.encrypt) {
    const enc = wecom.encrypt(v.aes_key, v.message, v.receive_id, Buffer.from(v.random));
    assert.equal(enc, v.encrypt, v.id);
    if (v.reply_signature) {
      const [token, ts, nonce] = v.reply_signature.parts;
      assert.equal(wecom.getSignature(token, ts, nonce, enc), v.reply_signature.sha1, v.id);
    }
  }
});
