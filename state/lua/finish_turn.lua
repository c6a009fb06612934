-- finish_turn: record a handled turn atomically: the message id is marked done (keeping what a
-- retry should be answered with), the turn is counted and the conversation state saved.
-- KEYS[1] seen key   KEYS[2] conversation hash
-- ARGV[1] seen TTL (s)   ARGV[2] conversation TTL (s, sliding)   ARGV[3] stored result (non-empty)
-- ARGV[4..] field, value pairs to set; a field whose value is "" is deleted instead
redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[1])
local turns = redis.call('HINCRBY', KEYS[2], 'turns', 1)
for i = 4, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[2], ARGV[i])
  else
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
end
redis.call('EXPIRE', KEYS[2], ARGV[2])
return turns
