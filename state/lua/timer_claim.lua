-- timer_claim: take due timers for firing, each by exactly one claimer (shards, replicas).
-- A claimed timer moves to the in-flight set with a lease; its attempt counter is its fencing
-- token. A lease that ran out (the firing crashed or hung) first goes back to due, with backoff,
-- or to the dead set after max attempts.
-- KEYS[1] due zset   KEYS[2] in-flight zset   KEYS[3] dead zset
-- ARGV[1] now ms  ARGV[2] lease ms  ARGV[3] limit  ARGV[4] timer hash key prefix
-- ARGV[5] max attempts  ARGV[6] backoff base ms
-- (The hashes are reached by prefix: every key shares the tenant's hash tag, so one slot.)
-- Returns {{id, attempt, kind, target, channel, payload, due, gen}, ...}
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local max_attempts = tonumber(ARGV[5])
local base = tonumber(ARGV[6])

local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[2], id)
  local h = ARGV[4] .. id
  local attempts = tonumber(redis.call('HGET', h, 'attempts') or '-1')
  if attempts >= max_attempts then
    redis.call('ZADD', KEYS[3], now, id)
  elseif attempts >= 0 then
    local backoff = math.min(base * 2 ^ math.max(attempts - 1, 0), 3600000)
    redis.call('ZADD', KEYS[1], now + backoff, id)
  end
end

local out = {}
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local h = ARGV[4] .. id
  if redis.call('EXISTS', h) == 1 then
    local attempt = redis.call('HINCRBY', h, 'attempts', 1)
    redis.call('ZADD', KEYS[2], now + lease, id)
    local f = redis.call('HMGET', h, 'kind', 'target', 'channel', 'payload', 'due', 'gen')
    out[#out + 1] = {id, attempt, f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '0',
                     f[6] or '0'}
  end
end
return out
