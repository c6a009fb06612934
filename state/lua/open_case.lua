-- open_case: create a case atomically, once per source message.
-- KEYS[1] case number counter (dbn:{t}:case:seq)   KEYS[2] source key (dbn:{t}:case:src:<chat>:<msg>)
-- KEYS[3] the tenant's feed (dbn:{t}:feed): the console's live updates read it
-- ARGV[1] tenant key prefix "dbn:{t}:"   ARGV[2] code prefix "DEMO-20261122-"
-- ARGV[3] resident index id   ARGV[4] owner agent id   ARGV[5] village id
-- ARGV[6] due day number (score of the open-case indexes)   ARGV[7] opened at (unix s)
-- ARGV[8] first history entry (JSON)   ARGV[9] source key TTL (s)   ARGV[10..] field, value pairs
-- The case and index keys are derived from the new number, so they cannot be declared in KEYS;
-- they all carry the tenant's hash tag, so they live in KEYS[1]'s slot (Cluster-safe).
-- Returns {1, n} when created, {0, n} when the source message had already opened case n.
local existing = redis.call('GET', KEYS[2])
if existing then
  return {0, tonumber(existing)}
end
local n = redis.call('INCR', KEYS[1])
local p = ARGV[1]
local key = p .. 'case:' .. n
local code = ARGV[2] .. string.format('%04d', n)
redis.call('HSET', key, 'number', n, 'code', code, 'opened_at', ARGV[7], 'updated_at', ARGV[7])
for i = 10, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
end
redis.call('RPUSH', key .. ':history', ARGV[8])
redis.call('ZADD', p .. 'cases:resident:' .. ARGV[3], ARGV[7], n)
redis.call('ZADD', p .. 'cases:owner:' .. ARGV[4], ARGV[6], n)
redis.call('ZADD', p .. 'cases:village:' .. ARGV[5], ARGV[7], n)
redis.call('ZADD', p .. 'cases:open', ARGV[6], n)
redis.call('HSET', p .. 'case:codes', code, n)
redis.call('SET', KEYS[2], n, 'EX', ARGV[9])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'case', 'number', n)
return {1, n}
