-- turn_enter: takes the next ticket in a conversation's turn queue (KEYS[1], dbn:{t}:turnq:<conv>)
-- for the process ARGV[1] (its owner token). ARGV[2] now (unix ms), ARGV[3] the queue's TTL (s).
-- Tickets run in the order they were taken, across every replica: the holder of `serving` runs,
-- the others wait to be woken (turn_pass). Returns {ticket, serving, serving's owner, serving
-- since (ms)}.
local n = redis.call('HINCRBY', KEYS[1], 'next', 1)
local serving = tonumber(redis.call('HGET', KEYS[1], 'serving'))
if not serving then
  serving = n
  redis.call('HSET', KEYS[1], 'serving', n, 'since', ARGV[2])
end
redis.call('HSET', KEYS[1], 'o:' .. n, ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {n, serving, redis.call('HGET', KEYS[1], 'o:' .. serving) or '',
        tonumber(redis.call('HGET', KEYS[1], 'since') or '0')}
