-- appt_cancel: free the seat and end the booking, in one step.
-- KEYS[1] the appointment hash  KEYS[2] seats taken of its office and date
-- KEYS[3] the resident's active booking for its scope  KEYS[4] its date's index
-- KEYS[5] the resident's active bookings (set)
-- ARGV[1] id  ARGV[2] resident  ARGV[3] office  ARGV[4] date  ARGV[5] time  ARGV[6] now (unix s)
-- Returns 'ok' | 'gone' | 'stale'
local f = redis.call('HMGET', KEYS[1], 'status', 'resident', 'office', 'date', 'time')
if f[1] ~= 'active' or f[2] ~= ARGV[2] then return 'gone' end
if f[3] ~= ARGV[3] or f[4] ~= ARGV[4] or f[5] ~= ARGV[5] then return 'stale' end
redis.call('HINCRBY', KEYS[2], ARGV[5], -1)
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('SREM', KEYS[5], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'updated', ARGV[6])
return 'ok'
