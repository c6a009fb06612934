-- ticket_change: move a ticket to a status if its current one allows it, set fields, append a
-- photo, record history, keep the open index — one step.
-- KEYS[1] ticket hash   KEYS[2] its history   KEYS[3] open index (dbn:{t}:tickets:open)
-- ARGV[1] allowed current statuses, comma-separated ("*" = any)   ARGV[2] new status ("" = keep)
-- ARGV[3] now (unix s)   ARGV[4] history entry (JSON)   ARGV[5] open-index action: "close"
-- (remove), "open" (add back, scored by reported_at) or ""   ARGV[6] file id to append ("" none)
-- ARGV[7..] field, value pairs
-- Returns {1, previous status} when done, {0, ""} when no such ticket, {-1, current} when its
-- status does not allow the change.
local cur = redis.call('HGET', KEYS[1], 'status')
if not cur then
  return {0, ''}
end
if ARGV[1] ~= '*' and not string.find(',' .. ARGV[1] .. ',', ',' .. cur .. ',', 1, true) then
  return {-1, cur}
end
local n = redis.call('HGET', KEYS[1], 'number')
if ARGV[2] ~= '' then
  redis.call('HSET', KEYS[1], 'status', ARGV[2])
end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[3])
for i = 7, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
if ARGV[6] ~= '' then
  local files = redis.call('HGET', KEYS[1], 'files')
  if not files or files == '' then
    files = ARGV[6]
  elseif not string.find(',' .. files .. ',', ',' .. ARGV[6] .. ',', 1, true) then
    files = files .. ',' .. ARGV[6]
  end
  redis.call('HSET', KEYS[1], 'files', files)
end
redis.call('RPUSH', KEYS[2], ARGV[4])
if ARGV[5] == 'close' then
  redis.call('ZREM', KEYS[3], n)
elseif ARGV[5] == 'open' then
  redis.call('ZADD', KEYS[3], redis.call('HGET', KEYS[1], 'reported_at'), n)
end
return {1, cur}
