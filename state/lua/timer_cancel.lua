-- timer_cancel: disarm timers, wherever they are (due, in flight, dead).
-- KEYS[1] due zset   KEYS[2] in-flight zset   KEYS[3] dead zset
-- ARGV[1] the timer hash key prefix   ARGV[2..] ids
-- Returns how many existed.
local n = 0
for i = 2, #ARGV do
  local id = ARGV[i]
  redis.call('ZREM', KEYS[1], id)
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[3], id)
  n = n + redis.call('DEL', ARGV[1] .. id)
end
return n
