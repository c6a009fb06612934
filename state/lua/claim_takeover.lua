-- claim_takeover: a turn claim (KEYS[1], dbn:{t}:seen:...) that is still pending passes to a new
-- owner when its owner's liveness lease (KEYS[2], dbn:{t}:live:<owner>) is gone: that process died
-- between claiming the message and committing its turn, so nothing of the turn was recorded and
-- the resend must run it. One script, so two resends racing for the claim cannot both win.
-- ARGV[1]: the pending value read before (a changed value means the turn was committed or taken
-- over meanwhile); ARGV[2]: the new owner's pending value; ARGV[3]: TTL in seconds; ARGV[4]: "1"
-- when the claim is the caller's own (a run of this process that ended without committing or
-- releasing it: the lease is alive, but no turn is working on it).
-- Returns 1 taken over, 0 changed meanwhile, -1 the owner is alive (the turn is in progress).
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[4] ~= '1' and redis.call('EXISTS', KEYS[2]) == 1 then
  return -1
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1
