-- campaign_close: the deadline has passed and the final list went out: the campaign leaves the
-- open index, once.
-- KEYS[1] campaign hash   KEYS[2] open index (dbn:{t}:campaigns:open)
-- ARGV[1] n   ARGV[2] now (unix s)
-- Returns 1 when it was open, 0 otherwise (closed before, or no such campaign).
if redis.call('HGET', KEYS[1], 'status') ~= 'open' then
  return 0
end
redis.call('HSET', KEYS[1], 'status', 'closed', 'closed_at', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
