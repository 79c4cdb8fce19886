-- Shared by the task scripts (loaded after lease-lib, since a claim leases the task's resources). Task keys carry the
-- lease hash tag and are built from the same base: t:<id> (a hash), t-ev:<id> (history, a list of JSON objects of
-- strings), t-ready:<pool> (claimable tasks by priority then id), t-queued:<pool> (queued and retry-waiting tasks by
-- creation time: depth and oldest), t-claimed (claimed tasks by claim expiry), t-retry (failed tasks by retry time),
-- t-holder:<agent>, t-deps:<id> (tasks waiting on id), t-all (every task by number), t-pools, t-seq, t-changes,
-- t-route:<pool> (the pool's rollout split numbers), t-ended (final tasks by end time, for retention).
-- Times are epoch milliseconds kept as strings; `now` always comes from the caller.

local function task_get(base, id)
  local flat = redis.call('HGETALL', base .. 't:' .. id)
  if #flat == 0 then
    return nil
  end
  local t = { id = id }
  for i = 1, #flat, 2 do
    t[flat[i]] = flat[i + 1]
  end
  return t
end

-- {id, field, value, ...} as stored, or {} for an unknown task.
local function task_reply(base, id)
  local flat = redis.call('HGETALL', base .. 't:' .. id)
  if #flat == 0 then
    return {}
  end
  table.insert(flat, 1, id)
  return flat
end

local function task_number(id)
  return tonumber(string.sub(id, 3))
end

-- Priority (-100..100) first, highest first, then the task number; exact in a double up to 2^53.
local function task_score(t)
  return string.format('%.0f', (100 - tonumber(t.priority)) * 1e13 + task_number(t.id))
end

local function task_event(base, id, at, kind, agent, token, detail)
  redis.call('RPUSH', base .. 't-ev:' .. id,
    cjson.encode({ at = at, kind = kind, agent = agent, token = token, detail = detail }))
end

local function task_changed(base)
  redis.call('INCR', base .. 't-changes')
end

local function task_ready(base, t)
  redis.call('ZADD', base .. 't-ready:' .. t.pool, task_score(t), t.id)
end

-- Ends the claim's leases that are still the grants it took.
local function task_release_leases(base, ends_key, t, now)
  if not t.leases or t.leases == '' then
    return
  end
  for _, h in ipairs(cjson.decode(t.leases)) do
    local l = lease_get(base, h.resource)
    if lease_active(l, now) and tonumber(l.token) == tonumber(h.token) then
      lease_end(base, ends_key, l, now)
    end
  end
end

local function task_unclaim(base, t)
  redis.call('ZREM', base .. 't-claimed', t.id)
  redis.call('SREM', base .. 't-holder:' .. t.holder, t.id)
end

-- Makes a task final (dead or cancelled) and takes it out of every queue index.
local function task_finish(base, t, state, by, token, reason, now)
  redis.call('HSET', base .. 't:' .. t.id, 'state', state, 'reason', reason, 'retry', '', 'updated', now)
  redis.call('ZREM', base .. 't-ready:' .. t.pool, t.id)
  redis.call('ZREM', base .. 't-queued:' .. t.pool, t.id)
  redis.call('ZREM', base .. 't-retry', t.id)
  redis.call('ZADD', base .. 't-ended', now, t.id)
  task_event(base, t.id, now, state == 'dead' and 'dead' or 'cancelled', by, token, reason)
  task_changed(base)
  t.state = state
end

-- Ends a claim on behalf of the hub: queued again, or dead when out of attempts. Returns the new state.
local function task_take_back(base, ends_key, t, kind, reason, now)
  task_release_leases(base, ends_key, t, tonumber(now))
  task_unclaim(base, t)
  task_event(base, t.id, now, kind, 'hub', t.token, reason)
  if tonumber(t.attempts) >= tonumber(t.max) then
    task_finish(base, t, 'dead', 'hub', t.token, reason .. '; no attempts left', now)
    return 'dead'
  end
  redis.call('HSET', base .. 't:' .. t.id, 'state', 'queued', 'reason', reason, 'updated', now)
  redis.call('ZADD', base .. 't-queued:' .. t.pool, t.created, t.id)
  task_ready(base, t)
  task_changed(base)
  return 'queued'
end

-- Requeues up to `max` tasks whose claim expired at or before now; returns their replies.
local function task_requeue_expired(base, ends_key, now, max)
  local out = {}
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 't-claimed', '-inf', now, 'LIMIT', 0, max)) do
    local t = task_get(base, id)
    task_take_back(base, ends_key, t, 'expired', 'claim of ' .. t.holder .. ' expired', now)
    out[#out + 1] = task_reply(base, id)
  end
  return out
end

-- Queues failed tasks whose retry time has come; returns their replies.
local function task_promote(base, now)
  local out = {}
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', base .. 't-retry', '-inf', now, 'LIMIT', 0, 100)) do
    local t = task_get(base, id)
    redis.call('HSET', base .. 't:' .. id, 'state', 'queued', 'retry', '', 'updated', now)
    redis.call('ZREM', base .. 't-retry', id)
    task_ready(base, t)
    task_event(base, id, now, 'retry', 'hub', '0', '')
    task_changed(base)
    out[#out + 1] = task_reply(base, id)
  end
  return out
end

-- Writes a new grant of `name` to `holder` (the caller checked overlaps), as lease-acquire does.
local function task_lease_put(base, names_key, ends_key, name, holder, token, now, expires, note)
  local key = base .. 'r:' .. name
  local previous = redis.call('HGET', key, 'holder')
  if previous and previous ~= holder then
    redis.call('SREM', base .. 'h:' .. previous, name)
  end
  redis.call('ZADD', names_key, 0, name)
  redis.call('DEL', key)
  redis.call('HSET', key, 'holder', holder, 'token', token, 'acquired', now, 'expires', expires, 'note', note)
  redis.call('ZADD', ends_key, expires, name)
  redis.call('SADD', base .. 'h:' .. holder, name)
end
