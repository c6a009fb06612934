// e2e helper for bridge.test.js: a `daiban serve` of the built binary for the bridge's test —
// a hook-only tenant of its own (fresh id, the demo county's data, callback_url = the bridge),
// the e2e run's Redis, the test clock (DAIBAN_TEST_NOW; moved with POST /test/clock, dev builds)
// and an outbox that keeps retrying a bridge that is down long enough for it to come back.
// Needs DAIBAN_BIN and DAIBAN_E2E_CONFIG (run_e2e.js sets both).
'use strict';

const own = require('./own_server');

async function startDaiban({ tenant, nowMs }) {
  const base = own.baseConfig();
  return own.startDaiban({
    tenants: [tenant],
    env: { DAIBAN_TEST_NOW: String(Math.floor(nowMs / 1000)) },
    // Retries every ≤ 1 s, 60 times: a bridge restarting within a minute loses nothing.
    settings: { outbox: { ...(base.outbox || {}), block_ms: 200, backoff_base_ms: 200, backoff_max_ms: 1000, max_attempts: 60 } },
  });
}

// Every key matching `pattern` (SCAN, never KEYS).
async function scanKeys(pattern) {
  const out = [];
  let cursor = '0';
  do {
    const [next, keys] = await own.redisCommand('SCAN', cursor, 'MATCH', pattern, 'COUNT', '1000');
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}

// A case's hash as an object.
async function caseRecord(tenantId, number) {
  const flat = await own.redisCommand('HGETALL', `dbn:{${tenantId}}:case:${number}`);
  const out = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

module.exports = { startDaiban, scanKeys, caseRecord };
