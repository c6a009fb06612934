-- campaign_open: create a campaign (收缴 / 通知) with its roster atomically, once per source message.
-- The number was taken with INCR before (so every key is declared here); a retry that lost the race
-- to the first run finds the source key and returns the first run's number.
-- KEYS[1] source key (dbn:{t}:campaign:src:<chat>:<msg>)   KEYS[2] campaign hash (dbn:{t}:campaign:<n>)
-- KEYS[3] its roster (hash)   KEYS[4] open index (dbn:{t}:campaigns:open)
-- ARGV[1] n   ARGV[2] started at (unix s)   ARGV[3] source key TTL (s)   ARGV[4] F: number of field
-- pairs   ARGV[5 .. 4+2F] field, value pairs   then member key, member JSON pairs
-- Returns {1, n} when created, {0, m} when the source message had already started campaign m.
local existing = redis.call('GET', KEYS[1])
if existing then
  return {0, tonumber(existing)}
end
local n = ARGV[1]
redis.call('HSET', KEYS[2], 'number', n, 'started_at', ARGV[2], 'status', 'open')
local f = tonumber(ARGV[4])
local i = 5
for _ = 1, f do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  i = i + 2
end
while i < #ARGV do
  redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('ZADD', KEYS[4], ARGV[2], n)
redis.call('SET', KEYS[1], n, 'EX', ARGV[3])
return {1, tonumber(n)}
