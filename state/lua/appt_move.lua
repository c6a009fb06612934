-- appt_move: reschedule in one step: take the new seat and free the old one, or change nothing.
-- The caller read the booking first and names its current slot; if it changed meanwhile the
-- script answers 'stale' and the caller reads again.
-- KEYS[1] the appointment hash  KEYS[2] old seats taken  KEYS[3] new seats taken
-- KEYS[4] old date's index  KEYS[5] new date's index
-- ARGV[1] id  ARGV[2] resident  ARGV[3] old office  ARGV[4] old date  ARGV[5] old time
-- ARGV[6] new office  ARGV[7] new date  ARGV[8] new time  ARGV[9] capacity of the new slot
-- ARGV[10] new start minute  ARGV[11] now (unix s)
-- Returns 'ok' | 'gone' | 'stale' | 'same' | 'full'
local f = redis.call('HMGET', KEYS[1], 'status', 'resident', 'office', 'date', 'time')
if f[1] ~= 'active' or f[2] ~= ARGV[2] then return 'gone' end
if f[3] ~= ARGV[3] or f[4] ~= ARGV[4] or f[5] ~= ARGV[5] then return 'stale' end
if ARGV[3] == ARGV[6] and ARGV[4] == ARGV[7] and ARGV[5] == ARGV[8] then return 'same' end
local taken = tonumber(redis.call('HGET', KEYS[3], ARGV[8]) or '0')
if taken >= tonumber(ARGV[9]) then return 'full' end
redis.call('HINCRBY', KEYS[2], ARGV[5], -1)
redis.call('HINCRBY', KEYS[3], ARGV[8], 1)
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZADD', KEYS[5], tonumber(ARGV[10]), ARGV[1])
redis.call('HSET', KEYS[1], 'office', ARGV[6], 'date', ARGV[7], 'time', ARGV[8],
           'updated', ARGV[11])
return 'ok'
