// The hook's signature, both ways: `X-Daiban-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`
// on what the bridge posts to /hook/{tenant}, and on what the bot posts to the bridge's callback.
'use strict';

const crypto = require('node:crypto');

function sign(secret, body) {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

// Constant-time comparison of a received header with the expected signature of `body`.
function verify(secret, body, header) {
  if (typeof header !== 'string' || !header) return false;
  const expected = Buffer.from(sign(secret, body));
  const got = Buffer.from(header.trim());
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

module.exports = { sign, verify };
