-- begin_turn: claim a message id and load the conversation, in one round trip.
-- KEYS[1] seen key (dbn:{t}:seen:<chat>:<id>)   KEYS[2] conversation hash
-- ARGV[1] seconds the claim lives while the turn is handled (a crash lets a retry run it again)
-- Returns {1, {field, value, ...}} for a new message, {0, stored} for a duplicate, where stored is
-- "" while the first delivery is still being handled, else what finish_turn stored.
local claimed = redis.call('SET', KEYS[1], '', 'NX', 'EX', ARGV[1])
if not claimed then
  return {0, redis.call('GET', KEYS[1]) or ''}
end
return {1, redis.call('HGETALL', KEYS[2])}
