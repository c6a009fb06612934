-- turn_commit: records a turn, fenced by its ticket, and passes the ticket on. KEYS[1] the
-- message's seen key, KEYS[2] the conversation hash, KEYS[3] the conversation's turn queue hash
-- (field done), KEYS[4] its owners list, KEYS[5] the next ticket's wake list
-- (dbn:{t}:turnq:<conv>:wake:<ticket+1>). ARGV[1] the turn's ticket (0: not fenced), ARGV[2] the
-- stored answer, ARGV[3] its TTL (s), ARGV[4] the conversation TTL to set (0: leave it), ARGV[5]
-- the queue's TTL (s), ARGV[6] how many fields to set (F), ARGV[7 .. 6+2F] field, value pairs,
-- then the fields to delete.
-- Returns the conversation's turn count, or -1 when the ticket is no longer the one served: the
-- turn ran so long (or its process stalled so long) that a waiter passed it, so another turn of
-- this conversation may have run meanwhile, and this one must not overwrite it.
-- Passing the ticket here (what turn_pass does) saves the turn a round trip of its own.
local ticket = tonumber(ARGV[1])
if ticket > 0 and (tonumber(redis.call('HGET', KEYS[3], 'done')) or 0) ~= ticket - 1 then
  return -1
end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
local turns = redis.call('HINCRBY', KEYS[2], 'turns', 1)
local f = tonumber(ARGV[6])
if f > 0 then redis.call('HSET', KEYS[2], unpack(ARGV, 7, 6 + 2 * f)) end
if #ARGV > 6 + 2 * f then redis.call('HDEL', KEYS[2], unpack(ARGV, 7 + 2 * f, #ARGV)) end
if tonumber(ARGV[4]) > 0 then redis.call('EXPIRE', KEYS[2], ARGV[4]) end
if ticket > 0 then
  redis.call('LPOP', KEYS[4])
  redis.call('HSET', KEYS[3], 'done', ticket)
  redis.call('EXPIRE', KEYS[3], ARGV[5])
  if redis.call('LLEN', KEYS[4]) > 0 then
    redis.call('RPUSH', KEYS[5], '1')
    redis.call('PEXPIRE', KEYS[5], 60000)
  end
end
return turns
