-- case_attach: file one received document under one material of a case (HSET per material, so
-- photos arriving together never overwrite each other), then move the case along: accepted ->
-- collecting -> ready once every material is in; a returned (补正) case resumes, and its due
-- date moves by the paused days the caller computed.
-- KEYS[1] case hash   KEYS[2] its history list; for a returned case also KEYS[3] its owner's index
-- and KEYS[4] the open-case index (the caller learns the owner from the first try's {-9, owner})
-- ARGV[1] material id   ARGV[2] file id (sha256)   ARGV[3] now   ARGV[4] history entry (JSON)
-- ARGV[5] due (YYYY-MM-DD) and ARGV[6] due day number to use if the case resumes from returned
-- ARGV[7] the owner whose index is KEYS[3] ('' on the first try)
-- Returns {1, received, total, new status, old status}; {-1} no case; {-2, status} closed;
-- {-3} not a material of this case; {-9, owner} a returned case, whose indexes the caller must
-- declare: try again with them (nothing was changed).
local st = redis.call('HGET', KEYS[1], 'status')
if not st then return {-1} end
if st == 'done' or st == 'rated' or st == 'cancelled' then return {-2, st} end
local owner = redis.call('HGET', KEYS[1], 'owner') or ''
if st == 'returned' and (#KEYS < 4 or owner ~= ARGV[7]) then return {-9, owner} end
local mats = redis.call('HGET', KEYS[1], 'materials') or ''
local known = false
for id in string.gmatch(mats, '[^,]+') do
  if id == ARGV[1] then known = true end
end
if not known then return {-3} end
local field = 'm:' .. ARGV[1] .. ':files'
local files = redis.call('HGET', KEYS[1], field) or ''
local present = false
for f in string.gmatch(files, '[^,]+') do
  if f == ARGV[2] then present = true end
end
if not present then
  if files == '' then files = ARGV[2] else files = files .. ',' .. ARGV[2] end
  redis.call('HSET', KEYS[1], field, files)
end
redis.call('HSET', KEYS[1], 'm:' .. ARGV[1] .. ':state', 'received', 'updated_at', ARGV[3])
redis.call('HDEL', KEYS[1], 'm:' .. ARGV[1] .. ':reason')
redis.call('RPUSH', KEYS[2], ARGV[4])
local received, total = 0, 0
for id in string.gmatch(mats, '[^,]+') do
  total = total + 1
  local s = redis.call('HGET', KEYS[1], 'm:' .. id .. ':state')
  if s == 'received' or s == 'accepted' then received = received + 1 end
end
local to = st
if st == 'accepted' or st == 'collecting' or st == 'returned' then
  if received == total then to = 'ready' else to = 'collecting' end
end
if st == 'returned' and to ~= st then
  redis.call('HSET', KEYS[1], 'due', ARGV[5], 'due_days', ARGV[6], 'paused_on', '')
  local n = redis.call('HGET', KEYS[1], 'number')
  redis.call('ZADD', KEYS[3], ARGV[6], n)
  redis.call('ZADD', KEYS[4], ARGV[6], n)
end
if to ~= st then
  redis.call('HSET', KEYS[1], 'status', to)
  redis.call('RPUSH', KEYS[2], cjson.encode({at = tonumber(ARGV[3]), who = 'bot', what = 'status:' .. to, why = ''}))
end
return {1, received, total, to, st}
