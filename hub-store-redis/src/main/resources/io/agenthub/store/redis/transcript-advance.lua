-- Moves a transcript cursor only if it is still the expected one (absent counts as offset 0, no message).
-- KEYS: the cursor's hash. ARGV: expected offset, expected message id, next offset, next message id, keep millis,
-- now (epoch millis, kept as 'at' for snapshots).
-- Returns 1 if moved, 0 if another caller moved it first. The key expires when not moved for keep.
local offset = redis.call('HGET', KEYS[1], 'offset') or '0'
local msg = redis.call('HGET', KEYS[1], 'msg') or ''
if offset ~= ARGV[1] or msg ~= ARGV[2] then
  return 0
end
redis.call('HSET', KEYS[1], 'offset', ARGV[3], 'msg', ARGV[4], 'at', ARGV[6])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1
