-- ticket_open: create a ticket (emergency, complaint, suggestion, consultation) atomically, once
-- per source message.
-- KEYS[1] ticket counter (dbn:{t}:ticket:seq)   KEYS[2] source key (dbn:{t}:ticket:src:<chat>:<msg>)
-- KEYS[3] the tenant's feed (dbn:{t}:feed): the console's live updates read it
-- ARGV[1] tenant key prefix "dbn:{t}:"   ARGV[2] resident index id   ARGV[3] reported at (unix s)
-- ARGV[4] first history entry (JSON)   ARGV[5] source key TTL (s)   ARGV[6..] field, value pairs
-- The ticket and index keys derive from the new number (tenant hash tag: KEYS[1]'s slot).
-- Returns {1, n} when created, {0, n} when the source message had already opened ticket n.
local existing = redis.call('GET', KEYS[2])
if existing then
  return {0, tonumber(existing)}
end
local n = redis.call('INCR', KEYS[1])
local p = ARGV[1]
local key = p .. 'ticket:' .. n
redis.call('HSET', key, 'number', n, 'reported_at', ARGV[3], 'updated_at', ARGV[3])
for i = 6, #ARGV, 2 do
  redis.call('HSET', key, ARGV[i], ARGV[i + 1])
end
redis.call('RPUSH', key .. ':history', ARGV[4])
redis.call('ZADD', p .. 'tickets:resident:' .. ARGV[2], ARGV[3], n)
redis.call('ZADD', p .. 'tickets:open', ARGV[3], n)
redis.call('SET', KEYS[2], n, 'EX', ARGV[5])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'ticket', 'number', n)
return {1, n}
