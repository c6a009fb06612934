-- case_transition: move a case to a new status if the current one allows it, set fields, record
-- history and keep the indexes right, all at once.
-- KEYS[1] case hash   KEYS[2] its history list   KEYS[3] the current owner's index (as the caller
-- read the owner)   KEYS[4] the owner's index after (the "owner" field's, else KEYS[3])
-- KEYS[5] the open-case index
-- ARGV[1] the owner the caller read ('' none)   ARGV[2] new status   ARGV[3] history entry (JSON)
-- ARGV[4] statuses it may come from, comma-separated ("*" = keep the status, fields only)
-- ARGV[5] now (unix s)   ARGV[6..] field, value pairs (an "owner" field moves the owner index;
-- a "due_days" field re-scores the open-case indexes)
-- Returns {1, previous status} on success, {0, current status} when not allowed, {-1, ''} when
-- there is no such case, {-9, owner} when the owner is not the one the caller read (the keys
-- would be wrong: read it again).
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then
  return {-1, ''}
end
local allowed = false
if ARGV[4] == '*' then
  allowed = true
else
  for s in string.gmatch(ARGV[4], '[^,]+') do
    if s == cur then allowed = true end
  end
end
if not allowed then
  return {0, cur}
end
local old_owner = redis.call('HGET', KEYS[1], 'owner') or ''
if old_owner ~= ARGV[1] then return {-9, old_owner} end
local n = redis.call('HGET', KEYS[1], 'number')
local to = ARGV[2]
if ARGV[4] == '*' then to = cur end
redis.call('HSET', KEYS[1], 'status', to, 'updated_at', ARGV[5])
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('RPUSH', KEYS[2], ARGV[3])
local owner = redis.call('HGET', KEYS[1], 'owner') or ''
local due = redis.call('HGET', KEYS[1], 'due_days')
if old_owner ~= owner then
  redis.call('ZREM', KEYS[3], n)
end
if to == 'done' or to == 'rated' or to == 'cancelled' then
  redis.call('ZREM', KEYS[4], n)
  redis.call('ZREM', KEYS[5], n)
else
  redis.call('ZADD', KEYS[4], due, n)
  redis.call('ZADD', KEYS[5], due, n)
end
return {1, cur}
