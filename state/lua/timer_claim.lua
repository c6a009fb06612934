-- timer_claim: take due timers for firing, each by exactly one claimer (shards, replicas).
-- A claimed timer moves to the in-flight set with a lease; its attempt counter is its fencing
-- token. A lease that ran out (the firing crashed or hung) first goes back to due, with backoff,
-- or to the dead set after max attempts.
-- The caller found the candidates with ZRANGEBYSCORE (a poll that finds none costs no script)
-- and declares their hashes; each is checked again here, so of two claimers one gets it.
-- KEYS[1] due zset   KEYS[2] in-flight zset   KEYS[3] dead zset
-- KEYS[4 .. 3+E] the hashes of the E in-flight timers whose lease looked over, then those of the
-- due timers
-- ARGV[1] now ms  ARGV[2] lease ms  ARGV[3] max attempts  ARGV[4] backoff base ms  ARGV[5] E
-- ARGV[6 ..] the ids, in the order of their hashes in KEYS
-- Returns {{id, attempt, kind, target, channel, payload, due, gen}, ...}
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local max_attempts = tonumber(ARGV[3])
local base = tonumber(ARGV[4])
local expired = tonumber(ARGV[5])

for i = 1, expired do
  local id = ARGV[5 + i]
  local score = redis.call('ZSCORE', KEYS[2], id)
  if score and tonumber(score) <= now then
    redis.call('ZREM', KEYS[2], id)
    local attempts = tonumber(redis.call('HGET', KEYS[3 + i], 'attempts') or '-1')
    if attempts >= max_attempts then
      redis.call('ZADD', KEYS[3], now, id)
    elseif attempts >= 0 then
      local backoff = math.min(base * 2 ^ math.max(attempts - 1, 0), 3600000)
      redis.call('ZADD', KEYS[1], now + backoff, id)
    end
  end
end

local out = {}
for i = expired + 1, #ARGV - 5 do
  local id = ARGV[5 + i]
  local score = redis.call('ZSCORE', KEYS[1], id)
  if score and tonumber(score) <= now then
    redis.call('ZREM', KEYS[1], id)
    local h = KEYS[3 + i]
    if redis.call('EXISTS', h) == 1 then
      local attempt = redis.call('HINCRBY', h, 'attempts', 1)
      redis.call('ZADD', KEYS[2], now + lease, id)
      local f = redis.call('HMGET', h, 'kind', 'target', 'channel', 'payload', 'due', 'gen')
      out[#out + 1] = {id, attempt, f[1] or '', f[2] or '', f[3] or '', f[4] or '', f[5] or '0',
                       f[6] or '0'}
    end
  end
end
return out
