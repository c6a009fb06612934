-- timer_settle: the end of one firing: 'done' forgets the timer, 'retry' puts it back to due with
-- backoff (or to the dead set after max attempts). Only the claimer still holding the lease may
-- settle: if the timer was re-armed or re-claimed meanwhile, nothing happens (returns 0).
-- KEYS[1] due zset   KEYS[2] in-flight zset   KEYS[3] dead zset   KEYS[4] the timer's hash
-- ARGV[1] id  ARGV[2] attempt (the claim's token)  ARGV[3] 'done' | 'retry'  ARGV[4] now ms
-- ARGV[5] max attempts  ARGV[6] backoff base ms
if redis.call('HGET', KEYS[4], 'attempts') ~= ARGV[2] then return 0 end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
if ARGV[3] == 'done' then
  redis.call('DEL', KEYS[4])
  return 1
end
local attempts = tonumber(ARGV[2])
local now = tonumber(ARGV[4])
if attempts >= tonumber(ARGV[5]) then
  redis.call('ZADD', KEYS[3], now, ARGV[1])
else
  local backoff = math.min(tonumber(ARGV[6]) * 2 ^ math.max(attempts - 1, 0), 3600000)
  redis.call('ZADD', KEYS[1], now + backoff, ARGV[1])
end
return 1
