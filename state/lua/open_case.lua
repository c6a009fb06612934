-- open_case: create a case atomically, once per source message.
-- KEYS[1] case number counter (dbn:{t}:case:seq)   KEYS[2] source key (dbn:{t}:case:src:<chat>:<msg>)
-- KEYS[3] the tenant's feed (dbn:{t}:feed): the console's live updates read it
-- KEYS[4] the new case's hash   KEYS[5] its history   KEYS[6] the resident's, KEYS[7] the owner's,
-- KEYS[8] the village's and KEYS[9] the open-case index   KEYS[10] codes (code -> number)
-- ARGV[1] the number the case gets: the counter + 1 as the caller read it (the case's own keys,
-- declared above, are made from it)   ARGV[2] its code   ARGV[3] due day number (score of the
-- open-case indexes)   ARGV[4] opened at (unix s)   ARGV[5] first history entry (JSON)
-- ARGV[6] source key TTL (s)   ARGV[7..] field, value pairs
-- Returns {1, n} when created, {0, n} when the source message had already opened case n, {-1, 0}
-- when another case took the number meanwhile (the caller reads the counter again).
local existing = redis.call('GET', KEYS[2])
if existing then
  return {0, tonumber(existing)}
end
local n = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= n - 1 then
  return {-1, 0}
end
redis.call('SET', KEYS[1], n)
redis.call('HSET', KEYS[4], 'number', n, 'code', ARGV[2], 'opened_at', ARGV[4], 'updated_at', ARGV[4])
for i = 7, #ARGV, 2 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
end
redis.call('RPUSH', KEYS[5], ARGV[5])
redis.call('ZADD', KEYS[6], ARGV[4], n)
redis.call('ZADD', KEYS[7], ARGV[3], n)
redis.call('ZADD', KEYS[8], ARGV[4], n)
redis.call('ZADD', KEYS[9], ARGV[3], n)
redis.call('HSET', KEYS[10], ARGV[2], n)
redis.call('SET', KEYS[2], n, 'EX', ARGV[6])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'case', 'number', n)
return {1, n}
