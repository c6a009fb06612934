-- appt_book: take one seat of a slot, atomically. Capacity per slot and one active booking per
-- resident per scope (case) are checked and taken in the same script, so fifty simultaneous
-- attempts on the last seat give exactly one booking.
-- KEYS[1] id sequence  KEYS[2] seats taken (hash HH:MM -> n) of the office and date
-- KEYS[3] the resident's active booking for the scope  KEYS[4] the date's booking index (zset)
-- KEYS[5] the resident's active bookings (set)  KEYS[6] the new appointment's hash
-- ARGV[1] the id it gets: the sequence + 1 as the caller read it (KEYS[6] is made from it)
-- ARGV[2] resident  ARGV[3] channel  ARGV[4] service
-- ARGV[5] scope  ARGV[6] office  ARGV[7] date  ARGV[8] time HH:MM  ARGV[9] capacity
-- ARGV[10] start minute of the slot  ARGV[11] now (unix s)
-- Returns {'ok', id} | {'already', id} | {'full', ''} | {'moved', ''} when another booking took
-- the id meanwhile (the caller reads the sequence again).
local active = redis.call('GET', KEYS[3])
if active then return {'already', active} end
local taken = tonumber(redis.call('HGET', KEYS[2], ARGV[8]) or '0')
if taken >= tonumber(ARGV[9]) then return {'full', ''} end
local id = ARGV[1]
if tonumber(redis.call('GET', KEYS[1]) or '0') ~= tonumber(id) - 1 then return {'moved', ''} end
redis.call('SET', KEYS[1], id)
redis.call('HINCRBY', KEYS[2], ARGV[8], 1)
redis.call('HSET', KEYS[6], 'id', id, 'resident', ARGV[2], 'channel', ARGV[3],
           'service', ARGV[4], 'scope', ARGV[5], 'office', ARGV[6], 'date', ARGV[7],
           'time', ARGV[8], 'status', 'active', 'created', ARGV[11], 'updated', ARGV[11])
redis.call('SET', KEYS[3], id)
redis.call('ZADD', KEYS[4], tonumber(ARGV[10]), id)
redis.call('SADD', KEYS[5], id)
return {'ok', id}
