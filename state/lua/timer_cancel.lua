-- timer_cancel: disarm timers, wherever they are (due, in flight, dead).
-- KEYS[1] due zset   KEYS[2] in-flight zset   KEYS[3] dead zset   KEYS[4..] the timers' hashes
-- ARGV[1..] their ids, in the same order
-- Returns how many existed.
local n = 0
for i = 1, #ARGV do
  local id = ARGV[i]
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  n = n + redis.call('DEL', KEYS[3 + i])
end
return n
