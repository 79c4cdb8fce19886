-- Moves a handoff on, compare-and-set on its status. KEYS: the handoff hash. ARGV: base, seq, operation, now, then
-- per operation: decline: agent, close ('1'/'0'), reason; complete: acceptor, note; cancel: note;
-- expire: retarget ('' for none), new expiry, note. Returns the handoff as it then stands, or an empty list if the
-- change does not apply.
local base, s, op, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local v = redis.call('HMGET', KEYS[1], 'status', 'acceptedBy', 'expires')
local status = v[1]
if not status then
  return {}
end
if op == 'decline' then
  if status ~= 'PENDING' then
    return {}
  end
  local list = base .. 'ho-declined:' .. s
  if not redis.call('LPOS', list, ARGV[5]) then
    redis.call('RPUSH', list, ARGV[5])
  end
  redis.call('HSET', KEYS[1], 'updated', now)
  if ARGV[6] == '1' then
    ho_close(base, s, status, 'DECLINED', ARGV[7], now)
  end
elseif op == 'complete' then
  if status ~= 'ACCEPTED' or v[2] ~= ARGV[5] then
    return {}
  end
  ho_close(base, s, status, 'COMPLETED', ARGV[6], now)
elseif op == 'cancel' then
  if status ~= 'PENDING' then
    return {}
  end
  ho_close(base, s, status, 'CANCELLED', ARGV[5], now)
elseif op == 'expire' then
  if status ~= 'PENDING' or tonumber(v[3]) > tonumber(now) then
    return {}
  end
  if ARGV[5] == '' then
    ho_close(base, s, status, 'EXPIRED', ARGV[7], now)
  else
    redis.call('HSET', KEYS[1], 'to', ARGV[5], 'expires', ARGV[6], 'returned', '1', 'updated', now)
    redis.call('ZADD', base .. 'ho-due', ARGV[6], s)
  end
else
  return redis.error_reply('unknown handoff operation ' .. op)
end
return ho_reply(base, s)
