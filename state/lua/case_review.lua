-- case_review: an agent accepts (通过) or rejects (补正) materials, and the case status follows
-- in the same step: all accepted -> in_progress; a rejection -> returned (the clock pauses).
-- KEYS[1] case hash   KEYS[2] its history list
-- ARGV[1] material id ("" = every received material)   ARGV[2] accepted | rejected
-- ARGV[3] reason   ARGV[4] now   ARGV[5] history entry (JSON)   ARGV[6] today's day number
-- ARGV[7] statuses that may go to returned   ARGV[8] statuses that may go to in_progress
-- Returns {1, status, accepted, total}; {-1} no case; {-2, status} closed; {-3} unknown
-- material; {-4} nothing received to accept.
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {-1} end
if st == 'done' or st == 'rated' or st == 'cancelled' then return {-2, st} end
local mats = redis.call('HGET', KEYS[1], 'materials') or ''
local function in_list(list, x)
  for s in string.gmatch(list, '[^,]+') do if s == x then return true end end
  return false
end
if ARGV[1] ~= '' and not in_list(mats, ARGV[1]) then return {-3} end
local changed = 0
for id in string.gmatch(mats, '[^,]+') do
  if ARGV[1] == '' or ARGV[1] == id then
    local f = 'm:' .. id .. ':state'
    local s = redis.call('HGET', KEYS[1], f)
    if ARGV[2] == 'rejected' then
      redis.call('HSET', KEYS[1], f, 'rejected', 'm:' .. id .. ':reason', ARGV[3])
      changed = changed + 1
    elseif s == 'received' or (ARGV[1] ~= '' and s ~= 'accepted') then
      redis.call('HSET', KEYS[1], f, 'accepted')
      redis.call('HDEL', KEYS[1], 'm:' .. id .. ':reason')
      changed = changed + 1
    end
  end
end
if changed == 0 and ARGV[2] == 'accepted' then return {-4} end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[5])
local accepted, total = 0, 0
for id in string.gmatch(mats, '[^,]+') do
  total = total + 1
  if redis.call('HGET', KEYS[1], 'm:' .. id .. ':state') == 'accepted' then accepted = accepted + 1 end
end
local to = st
if ARGV[2] == 'rejected' and in_list(ARGV[7], st) then
  to = 'returned'
  redis.call('HSET', KEYS[1], 'paused_on', ARGV[6])
elseif ARGV[2] == 'accepted' and accepted == total and in_list(ARGV[8], st) then
  to = 'in_progress'
end
if to ~= st then
  redis.call('HSET', KEYS[1], 'status', to)
  redis.call('RPUSH', KEYS[2], cjson.encode({at = tonumber(ARGV[4]), who = 'bot', what = 'status:' .. to, why = ARGV[3]}))
end
return {1, to, accepted, total}
