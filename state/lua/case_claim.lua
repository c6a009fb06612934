-- case_claim: an agent takes a case (接单). Compare-and-set on `claimed_by`, so of two agents
-- claiming at once exactly one becomes the owner (首问负责); the owner index follows.
-- KEYS[1] case hash   KEYS[2] its history list   KEYS[3] the current owner's index (as the
-- caller read the owner)   KEYS[4] the agent's index
-- ARGV[1] the owner the caller read ('' none)   ARGV[2] agent id   ARGV[3] now
-- ARGV[4] history entry (JSON)   ARGV[5] statuses in which a case can no longer be claimed,
-- comma-separated
-- Returns {1, previous owner} claimed; {2, agent} already the claimant; {0, claimant} someone
-- else has it; {-2, status} closed; {-1, ''} no such case; {-9, owner} the owner is not the one
-- the caller read (KEYS[3] would be wrong): read it again.
local st = redis.call('HGET', KEYS[1], 'status')
if not st then
  return {-1, ''}
end
for s in string.gmatch(ARGV[5], '[^,]+') do
  if s == st then return {-2, st} end
end
local claimed = redis.call('HGET', KEYS[1], 'claimed_by')
if claimed and claimed ~= '' then
  if claimed == ARGV[2] then return {2, claimed} end
  return {0, claimed}
end
local old = redis.call('HGET', KEYS[1], 'owner') or ''
if old ~= ARGV[1] then return {-9, old} end
local n = redis.call('HGET', KEYS[1], 'number')
local due = redis.call('HGET', KEYS[1], 'due_days')
redis.call('HSET', KEYS[1], 'claimed_by', ARGV[2], 'owner', ARGV[2], 'updated_at', ARGV[3])
if old ~= '' and old ~= ARGV[2] then
  redis.call('ZREM', KEYS[3], n)
end
redis.call('ZADD', KEYS[4], due, n)
redis.call('RPUSH', KEYS[2], ARGV[4])
return {1, old}
