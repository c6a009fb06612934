-- outbox_promote: parked retries whose time has come go back into the stream.
-- KEYS[1] = delayed zset, KEYS[2] = stream; ARGV[1] = now (ms), ARGV[2] = at most this many
-- Returns how many were moved.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local e = cjson.decode(member)
  redis.call('XADD', KEYS[2], '*', 'key', e.k, 'payload', e.p, 'attempt', tostring(e.a))
  redis.call('ZREM', KEYS[1], member)
end
return #due
