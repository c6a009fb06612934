-- outbox_enqueue: durable, deduplicated enqueue of pushes (state/outbox_store.hpp).
-- KEYS[1] = dbn:{t}:outbox (stream); then per push: KEYS[2i] = its idempotency key
-- (dbn:{t}:outbox:key:<k>), KEYS[2i+1] = its sent marker (dbn:{t}:outbox:sent:<k>).
-- ARGV[1] = TTL (s) of the idempotency key; then per push: ARGV[2i] = key, ARGV[2i+1] = payload.
-- The SET NX and the XADD are one script, so a push is either recorded and queued, or neither:
-- a crash cannot leave a key that blocks a push that was never queued.
-- Returns the number of pushes queued (duplicates are skipped).
local added = 0
local n = (#KEYS - 1) / 2
for i = 1, n do
  local idem = KEYS[2 * i]
  local sent = KEYS[2 * i + 1]
  if redis.call('EXISTS', sent) == 0 and
     redis.call('SET', idem, '1', 'NX', 'EX', ARGV[1]) then
    redis.call('XADD', KEYS[1], '*', 'key', ARGV[2 * i], 'payload', ARGV[2 * i + 1], 'attempt', '0')
    added = added + 1
  end
end
return added
