-- campaign_answer: record that a roster member has answered (paid, or confirmed a notice), once.
-- KEYS[1] campaign hash   KEYS[2] its roster   KEYS[3] its answers (hash member -> JSON)
-- ARGV[1] member key   ARGV[2] the answer (JSON {at, by, amount, photo})
-- Returns 1 recorded, 2 already answered (the first answer stands), 0 no such campaign or member.
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return 0
end
if redis.call('HSETNX', KEYS[3], ARGV[1], ARGV[2]) == 1 then
  return 1
end
return 2
