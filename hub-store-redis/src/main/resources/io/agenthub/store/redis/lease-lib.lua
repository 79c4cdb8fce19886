-- Shared by the lease scripts. A resource's latest grant is a hash at <base>r:<resource> with the fields holder,
-- token, acquired, expires (epoch ms), note and, once ended early, released (epoch ms). A grant is active while it is
-- not released and now < expires; `now` always comes from the caller, never from the server's clock.

local function lease_get(base, name)
  local v = redis.call('HMGET', base .. 'r:' .. name, 'holder', 'token', 'acquired', 'expires', 'note', 'released')
  if not v[1] then
    return nil
  end
  return { name = name, holder = v[1], token = v[2], acquired = v[3], expires = v[4], note = v[5] or '',
           released = v[6] }
end

local function lease_active(l, now)
  return l ~= nil and not l.released and tonumber(l.expires) > now
end

-- Appends the grant to `out` as seven strings: resource, holder, token, acquired, expires, note, released or ''.
local function lease_flat(l, out)
  out[#out + 1] = l.name
  out[#out + 1] = l.holder
  out[#out + 1] = l.token
  out[#out + 1] = l.acquired
  out[#out + 1] = l.expires
  out[#out + 1] = l.note
  out[#out + 1] = l.released or ''
  return out
end

-- Every proper prefix of `name` that ends in '/', shortest first (the zones that cover it).
local function lease_enclosing_zones(name)
  local zones = {}
  local i = string.find(name, '/', 1, true)
  while i and i < #name do
    zones[#zones + 1] = string.sub(name, 1, i)
    i = string.find(name, '/', i + 1, true)
  end
  return zones
end

-- Active grants that overlap `name`: the name itself (unless `skip_self`: the caller has read it), the zones above
-- it, and for a zone every name below it. The names below a zone 'a/b/' are the lexicographic range ['a/b/', 'a/b0'),
-- since '0' follows '/', of the names index, which holds only grants not released (see lease_end); a grant that
-- expired unreleased stays there until a scan with `prune` (an acquire) meets it, or the purge. So a zone scan reads
-- what is active below the zone, never the history of ended grants.
local function lease_overlapping(base, names_key, name, now, skip_self, prune)
  local found, seen = {}, {}
  local function consider(n)
    if not seen[n] then
      seen[n] = true
      local l = lease_get(base, n)
      if lease_active(l, now) then
        found[#found + 1] = l
      end
    end
  end
  if skip_self then
    seen[name] = true
  else
    consider(name)
  end
  for _, zone in ipairs(lease_enclosing_zones(name)) do
    consider(zone)
  end
  if string.sub(name, -1) == '/' then
    local upper = string.sub(name, 1, -2) .. '0'
    for _, n in ipairs(redis.call('ZRANGEBYLEX', names_key, '[' .. name, '(' .. upper)) do
      if not seen[n] then
        seen[n] = true
        local l = lease_get(base, n)
        if lease_active(l, now) then
          found[#found + 1] = l
        elseif prune then
          redis.call('ZREM', names_key, n)
        end
      end
    end
  end
  return found
end

-- Marks the grant released at `now`: it stops counting, and its holder index and the names index forget it.
local function lease_end(base, ends_key, l, now)
  redis.call('HSET', base .. 'r:' .. l.name, 'released', now)
  redis.call('ZADD', ends_key, now, l.name)
  redis.call('SREM', base .. 'h:' .. l.holder, l.name)
  redis.call('ZREM', base .. 'names', l.name)
  l.released = now
end

-- {applied (1 or 0), the latest grant as seven strings or an empty list}
local function lease_outcome(applied, l)
  if l == nil then
    return { applied, {} }
  end
  return { applied, lease_flat(l, {}) }
end
