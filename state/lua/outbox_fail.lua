-- outbox_fail: a delivery failed. Below the attempt limit the entry is parked in the delayed set
-- (score = when to try again, ms) and leaves the stream; at the limit (or for a permanent
-- failure) it moves to the dead-letter stream. Acknowledge + move are one step: a crash cannot
-- both keep the entry pending and park a copy.
-- KEYS[1] = stream, KEYS[2] = delayed zset, KEYS[3] = dead stream
-- ARGV: group, entry id, key, payload, attempts so far (after this failure), max attempts,
--       due (ms), reason, permanent ("1"/"0")
local attempts = tonumber(ARGV[5])
local result
if ARGV[9] == '1' or attempts >= tonumber(ARGV[6]) then
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', '10000', '*', 'key', ARGV[3], 'payload', ARGV[4], 'attempts', ARGV[5],
             'reason', ARGV[8])
  result = 'dead'
else
  local member = cjson.encode({k = ARGV[3], p = ARGV[4], a = attempts})
  redis.call('ZADD', KEYS[2], ARGV[7], member)
  result = 'retry'
end
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return result
