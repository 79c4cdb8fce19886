-- Accepts a pending handoff and moves its leases, in one step (see HandoffStore.accept). KEYS: lease names, lease
-- ends, fence. ARGV: base, seq, acceptor, lease expiry if granted now (now + ttl), now.
-- Returns {1, handoff, moved leases, blocking leases} or {0, handoff as it stands (or empty)}.
local base, s, acceptor, granted_expiry = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now = tonumber(ARGV[5])
local key = ho_key(base, s)
local v = redis.call('HMGET', key, 'status', 'expires', 'from', 'leases')
if not v[1] or v[1] ~= 'PENDING' or now >= tonumber(v[2]) then
  return { 0, ho_reply(base, s) }
end
local from = v[3]
local resources = cjson.decode(v[4])
local listed = {}
for _, r in ipairs(resources) do
  listed[r] = true
end
-- Longest name first, so that a zone moves after the names inside it.
table.sort(resources, function(a, b)
  if #a ~= #b then
    return #a > #b
  end
  return a < b
end)
local moved, blocked = {}, {}
for _, resource in ipairs(resources) do
  local overlapping = lease_overlapping(base, KEYS[1], resource, now)
  local own = nil
  for _, l in ipairs(overlapping) do
    if l.name == resource then
      own = l
    end
  end
  if own and own.holder == acceptor and acceptor ~= from then
    lease_flat(own, moved)
  else
    local blockers = {}
    for _, l in ipairs(overlapping) do
      if not (l.holder == from and listed[l.name]) and l.holder ~= acceptor then
        lease_flat(l, blockers)
      end
    end
    if #blockers > 0 then
      for _, x in ipairs(blockers) do
        blocked[#blocked + 1] = x
      end
    else
      local expires, note = granted_expiry, ''
      if own then
        note = own.note
        if tonumber(own.expires) > tonumber(granted_expiry) then
          expires = own.expires
        end
      end
      local lkey = base .. 'r:' .. resource
      local previous = redis.call('HGET', lkey, 'holder')
      if previous and previous ~= acceptor then
        redis.call('SREM', base .. 'h:' .. previous, resource)
      end
      local token = string.format('%d', redis.call('INCR', KEYS[3]))
      redis.call('DEL', lkey)
      redis.call('HSET', lkey, 'holder', acceptor, 'token', token, 'acquired', ARGV[5], 'expires', expires, 'note', note)
      redis.call('ZADD', KEYS[1], 0, resource)
      redis.call('ZADD', KEYS[2], expires, resource)
      redis.call('SADD', base .. 'h:' .. acceptor, resource)
      lease_flat({ name = resource, holder = acceptor, token = token, acquired = ARGV[5], expires = expires,
                   note = note }, moved)
    end
  end
end
ho_status(base, s, 'PENDING', 'ACCEPTED', ARGV[5])
redis.call('HSET', key, 'acceptedBy', acceptor, 'accepted', ARGV[5])
return { 1, ho_reply(base, s), moved, blocked }
