-- compare_delete: delete KEYS[1] only if it still holds ARGV[1] (a lock we own, or a token we saw
-- fail — another refresher may already have replaced it). Returns 1 if deleted.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
