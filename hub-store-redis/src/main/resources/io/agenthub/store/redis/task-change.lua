-- A change by claim token or by the hub (see TaskStore renew, complete, fail, cancel, requeue), in one step.
-- KEYS: lease names, lease ends, fence, t-all. ARGV: base, op, id, holder (or actor), token, now, text (result,
-- reason, or the new expiry for renew), backoff base ms, backoff max ms. Returns {applied (1 or 0), task or {}}.
local base, op, id, holder, token, now, text = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local now_n = tonumber(now)
local t = task_get(base, id)
if not t then
  return { 0, {} }
end
local key = base .. 't:' .. id

if op == 'cancel' then
  if t.state == 'done' or t.state == 'cancelled' or t.state == 'dead' then
    return { 0, task_reply(base, id) }
  end
  if t.state == 'claimed' then
    task_release_leases(base, KEYS[2], t, now_n)
    task_unclaim(base, t)
  end
  task_finish(base, t, 'cancelled', holder, '0', text, now)
  return { 1, task_reply(base, id) }
end

if op == 'requeue' then
  if t.state ~= 'claimed' or t.token ~= token then
    return { 0, task_reply(base, id) }
  end
  task_take_back(base, KEYS[2], t, 'requeued', text, now)
  return { 1, task_reply(base, id) }
end

-- The rest need the caller's active claim.
if t.state ~= 'claimed' or t.holder ~= holder or t.token ~= token or tonumber(t.expires) <= now_n then
  return { 0, task_reply(base, id) }
end

if op == 'renew' then
  if t.leases and t.leases ~= '' then
    for _, h in ipairs(cjson.decode(t.leases)) do
      local l = lease_get(base, h.resource)
      if lease_active(l, now_n) and tonumber(l.token) == tonumber(h.token) and l.holder == holder then
        redis.call('HSET', base .. 'r:' .. h.resource, 'expires', text)
        redis.call('ZADD', KEYS[2], text, h.resource)
      end
    end
  end
  redis.call('HSET', key, 'expires', text, 'updated', now)
  redis.call('ZADD', base .. 't-claimed', text, id)
  return { 1, task_reply(base, id) }
end

task_release_leases(base, KEYS[2], t, now_n)
task_unclaim(base, t)

if op == 'complete' then
  redis.call('HSET', key, 'state', 'done', 'result', text, 'expires', now, 'updated', now)
  redis.call('ZADD', base .. 't-ended', now, id)
  task_event(base, id, now, 'completed', holder, token, text)
  for _, d in ipairs(redis.call('SMEMBERS', base .. 't-deps:' .. id)) do
    local dk = base .. 't:' .. d
    local waiting = tonumber(redis.call('HGET', dk, 'waiting') or '0')
    if waiting > 0 then
      redis.call('HSET', dk, 'waiting', waiting - 1)
      if waiting == 1 and redis.call('HGET', dk, 'state') == 'queued' then
        task_ready(base, task_get(base, d))
      end
    end
  end
  task_changed(base)
  return { 1, task_reply(base, id) }
end

if op == 'fail' then
  task_event(base, id, now, 'failed', holder, token, text)
  local attempts = tonumber(t.attempts)
  if attempts >= tonumber(t.max) then
    task_finish(base, t, 'dead', 'hub', token, text, now)
    return { 1, task_reply(base, id) }
  end
  local factor = 2 ^ math.min(30, math.max(0, attempts - 1))
  local delay = math.min(tonumber(ARGV[9]), tonumber(ARGV[8]) * factor)
  local retry = string.format('%.0f', now_n + delay)
  redis.call('HSET', key, 'state', 'failed', 'reason', text, 'retry', retry, 'updated', now)
  redis.call('ZADD', base .. 't-retry', retry, id)
  redis.call('ZADD', base .. 't-queued:' .. t.pool, t.created, id)
  return { 1, task_reply(base, id) }
end

return redis.error_reply('unknown task change ' .. op)
