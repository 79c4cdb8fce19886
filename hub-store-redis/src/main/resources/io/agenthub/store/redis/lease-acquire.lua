-- Grants a resource unless another holder's active grant overlaps it; one atomic step.
-- KEYS: names, ends, fence. ARGV: base, resource, holder, expires (now + ttl, epoch ms), note, now, max held.
-- Returns {'refused', blockers...} (seven strings each), {'limit', held}, {'renewed', grant} or {'granted', grant}.
local base, name, holder, expires, note = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local now = tonumber(ARGV[6])
-- The resource's latest grant is read once: it may block, be the holder's own, or be replaced below.
local current = lease_get(base, name)
local blockers, own = {}, nil
if lease_active(current, now) then
  if current.holder ~= holder then
    lease_flat(current, blockers)
  else
    own = current
  end
end
for _, l in ipairs(lease_overlapping(base, KEYS[1], name, now, true, true)) do
  if l.holder ~= holder then
    lease_flat(l, blockers)
  end
end
if #blockers > 0 then
  return { 'refused', blockers }
end
local key = base .. 'r:' .. name
if own then
  -- The holder asks again: extend to max(expires, now + ttl), keep the token.
  if tonumber(own.expires) > tonumber(expires) then
    expires = own.expires
  end
  redis.call('HSET', key, 'expires', expires, 'note', note)
  redis.call('ZADD', KEYS[2], expires, name)
  own.expires, own.note = expires, note
  return { 'renewed', lease_flat(own, {}) }
end
-- A new grant counts the holder's active leases first. Its index may still name grants that expired (release forgets
-- them at once, expiry only at the purge); those are dropped from the index on the way.
local max_held = tonumber(ARGV[7])
local held = 0
local index = base .. 'h:' .. holder
for _, n in ipairs(redis.call('SMEMBERS', index)) do
  local l = lease_get(base, n)
  if lease_active(l, now) and l.holder == holder then
    held = held + 1
    if held >= max_held then
      break
    end
  else
    redis.call('SREM', index, n)
  end
end
if held >= max_held then
  return { 'limit', held }
end
if current and current.holder ~= holder then
  redis.call('SREM', base .. 'h:' .. current.holder, name)
end
local token = string.format('%d', redis.call('INCR', KEYS[3]))
redis.call('HSET', key, 'holder', holder, 'token', token, 'acquired', ARGV[6], 'expires', expires, 'note', note)
-- The names index holds the grants not released: a release or a zone scan may have dropped this name.
redis.call('ZADD', KEYS[1], 0, name)
if current and current.released then
  redis.call('HDEL', key, 'released')
end
redis.call('ZADD', KEYS[2], expires, name)
redis.call('SADD', index, name)
return { 'granted', { name, holder, token, ARGV[6], expires, note, '' } }
