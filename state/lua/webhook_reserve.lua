-- webhook_reserve: a place for one message in a WeCom group bot's rolling minute (the platform
-- allows 20 per 60 s per webhook and counts a rolling window, so a calendar-minute counter could
-- let 40 through in 60 s). Shared by every replica.
-- KEYS[1] = zset of the messages sent in the window (score = ms sent, member = idempotency key)
-- ARGV: now (ms), window (ms), limit, member
-- Returns 0 when the place is taken (the member is recorded), else the ms until one frees up.
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
-- A retry of a message already counted keeps its place (ZADD below only moves its time).
if redis.call('ZSCORE', KEYS[1], ARGV[4]) == false and redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], window)
return 0
