-- outbox_done: an entry was delivered (or found already delivered): mark its idempotency key
-- sent, acknowledge and delete it, in one step so a redelivery after a crash sees the marker.
-- KEYS[1] = stream, KEYS[2] = sent marker; ARGV[1] = group, ARGV[2] = entry id, ARGV[3] = TTL (s)
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
