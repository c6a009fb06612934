-- turn_pass: ticket ARGV[1] of the turn queue KEYS[1] is done (its turn ended, or its owner died
-- and a waiter passes it). If it is the one being served, the next ticket is served from now
-- (ARGV[2], unix ms) and its waiter woken through KEYS[2] (dbn:{t}:turnq:<conv>:wake:<ticket+1>).
-- Returns 1 if it was being served, 0 if it had been passed already.
redis.call('HDEL', KEYS[1], 'o:' .. ARGV[1])
local serving = tonumber(redis.call('HGET', KEYS[1], 'serving'))
if serving ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'serving', serving + 1, 'since', ARGV[2])
if tonumber(redis.call('HGET', KEYS[1], 'next')) > serving then
  redis.call('RPUSH', KEYS[2], '1')
  redis.call('PEXPIRE', KEYS[2], 60000)
end
return 1
