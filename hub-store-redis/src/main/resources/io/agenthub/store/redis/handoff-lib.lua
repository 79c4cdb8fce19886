-- Shared by the handoff scripts. A handoff is a hash at <base>ho:<seq> (seq zero-padded), its decliners a list at
-- <base>ho-declined:<seq>. Sorted sets ho-st:<STATUS> (score = seq) list handoffs by status, ho-due (score = expiry)
-- the pending ones by expiry, and the hash ho-open maps a dedupe key to its open (pending or accepted) handoff.
-- Handoff keys carry the lease tag, because accepting one moves leases in the same script.

local function ho_key(base, s)
  return base .. 'ho:' .. s
end

-- {fields, decliners}, or an empty list if there is no such handoff.
local function ho_reply(base, s)
  local fields = redis.call('HGETALL', ho_key(base, s))
  if #fields == 0 then
    return {}
  end
  return { fields, redis.call('LRANGE', base .. 'ho-declined:' .. s, 0, -1) }
end

-- Moves the handoff from status `old` to `new` in the indexes and the hash.
local function ho_status(base, s, old, new, now)
  local key = ho_key(base, s)
  redis.call('ZREM', base .. 'ho-st:' .. old, s)
  redis.call('ZADD', base .. 'ho-st:' .. new, tonumber(s), s)
  redis.call('HSET', key, 'status', new, 'updated', now)
  if new ~= 'PENDING' then
    redis.call('ZREM', base .. 'ho-due', s)
  end
  if new ~= 'PENDING' and new ~= 'ACCEPTED' then
    local dedupe = redis.call('HGET', key, 'dedupe')
    if dedupe and dedupe ~= '' and redis.call('HGET', base .. 'ho-open', dedupe) == s then
      redis.call('HDEL', base .. 'ho-open', dedupe)
    end
  end
end

-- Closes the handoff with a final status and note.
local function ho_close(base, s, old, new, note, now)
  ho_status(base, s, old, new, now)
  redis.call('HSET', ho_key(base, s), 'note', note, 'closed', now)
end
