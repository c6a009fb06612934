-- ticket_open: create a ticket (emergency, complaint, suggestion, consultation) atomically, once
-- per source message.
-- KEYS[1] ticket counter (dbn:{t}:ticket:seq)   KEYS[2] source key (dbn:{t}:ticket:src:<chat>:<msg>)
-- KEYS[3] the tenant's feed (dbn:{t}:feed): the console's live updates read it
-- KEYS[4] the new ticket's hash   KEYS[5] its history   KEYS[6] the resident's index
-- KEYS[7] the open-ticket index
-- ARGV[1] the number the ticket gets: the counter + 1 as the caller read it (its keys, declared
-- above, are made from it)   ARGV[2] reported at (unix s)   ARGV[3] first history entry (JSON)
-- ARGV[4] source key TTL (s)   ARGV[5..] field, value pairs
-- Returns {1, n} when created, {0, n} when the source message had already opened ticket n,
-- {-1, 0} when another ticket took the number meanwhile (the caller reads the counter again).
local existing = redis.call('GET', KEYS[2])
if existing then
  return {0, tonumber(existing)}
end
local n = tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= n - 1 then
  return {-1, 0}
end
redis.call('SET', KEYS[1], n)
redis.call('HSET', KEYS[4], 'number', n, 'reported_at', ARGV[2], 'updated_at', ARGV[2])
for i = 5, #ARGV, 2 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 1])
end
redis.call('RPUSH', KEYS[5], ARGV[3])
redis.call('ZADD', KEYS[6], ARGV[2], n)
redis.call('ZADD', KEYS[7], ARGV[2], n)
redis.call('SET', KEYS[2], n, 'EX', ARGV[4])
redis.call('XADD', KEYS[3], 'MAXLEN', '~', 1000, '*', 'type', 'ticket', 'number', n)
return {1, n}
