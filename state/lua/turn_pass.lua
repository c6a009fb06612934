-- turn_pass: ticket ARGV[1] of a conversation's turn queue is done (its turn ended without a
-- record, or its owner died or stalled and a waiter passes it). KEYS[1] the queue hash
-- (field done), KEYS[2] its owners list, KEYS[3] the next ticket's wake list
-- (dbn:{t}:turnq:<conv>:wake:<ticket+1>); ARGV[2] the queue's TTL (s).
-- If the ticket is the one being served (done + 1), the next is served from now and its waiter
-- woken. Returns 1 if it was being served, 0 if it had been passed already.
local ticket = tonumber(ARGV[1])
if (tonumber(redis.call('HGET', KEYS[1], 'done')) or 0) ~= ticket - 1 then return 0 end
redis.call('LPOP', KEYS[2])
redis.call('HSET', KEYS[1], 'done', ticket)
redis.call('EXPIRE', KEYS[1], ARGV[2])
if redis.call('LLEN', KEYS[2]) > 0 then
  redis.call('RPUSH', KEYS[3], '1')
  redis.call('PEXPIRE', KEYS[3], 60000)
end
return 1
