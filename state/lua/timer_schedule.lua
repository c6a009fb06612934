-- timer_schedule: arm (or re-arm) one timer. Re-arming an id replaces its payload and due time and
-- takes it out of flight: a firing still running for the old version cannot settle it any more
-- (its attempt token no longer matches, see timer_settle).
-- Each arming gets a new generation number: it names the firing (a retry of the same firing keeps
-- it, so the dispatcher's de-duplication holds; a re-armed timer is a new firing).
-- KEYS[1] due zset   KEYS[2] in-flight zset   KEYS[3] the timer's hash   KEYS[4] generation counter
-- ARGV[1] id  ARGV[2] due ms  ARGV[3] kind  ARGV[4] target  ARGV[5] channel  ARGV[6] payload
local gen = redis.call('INCR', KEYS[4])
redis.call('DEL', KEYS[3])
redis.call('HSET', KEYS[3], 'kind', ARGV[3], 'target', ARGV[4], 'channel', ARGV[5],
           'payload', ARGV[6], 'due', ARGV[2], 'attempts', 0, 'gen', gen)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
