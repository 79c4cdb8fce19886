-- Claims the next claimable task of a pool and leases its resources, in one step (see TaskStore.claim).
-- KEYS: lease names, lease ends, fence, t-all. ARGV: base, agent, pool, capabilities JSON, version, claim expiry, now,
-- scan limit, expired claims to requeue on the way. Returns {claimed task or {}, {tasks that died}}.
local base, agent, pool, version, expires, now = ARGV[1], ARGV[2], ARGV[3], ARGV[5], ARGV[6], ARGV[7]
local now_n = tonumber(now)
local died = {}
for _, reply in ipairs(task_requeue_expired(base, KEYS[2], now, tonumber(ARGV[9]))) do
  for i = 2, #reply, 2 do
    if reply[i] == 'state' and reply[i + 1] == 'dead' then
      died[#died + 1] = reply
    end
  end
end
task_promote(base, now)
local caps = {}
for _, c in ipairs(cjson.decode(ARGV[4])) do
  caps[c] = true
end
local ready = base .. 't-ready:' .. pool
for _, id in ipairs(redis.call('ZRANGE', ready, 0, tonumber(ARGV[8]) - 1)) do
  local t = task_get(base, id)
  if t.deadline ~= '' and tonumber(t.deadline) <= now_n then
    task_finish(base, t, 'dead', 'hub', '0', 'deadline passed before anyone claimed it', now)
    died[#died + 1] = task_reply(base, id)
  else
    local spec = cjson.decode(t.spec)
    local ok = spec.version == '' or spec.version == version
    for _, c in ipairs(spec.capabilities) do
      if not caps[c] then
        ok = false
      end
    end
    if ok then
      for _, r in ipairs(spec.resources) do
        for _, l in ipairs(lease_overlapping(base, KEYS[1], r, now_n)) do
          if l.holder ~= agent then
            ok = false
          end
        end
      end
    end
    if ok then
      local held = {}
      for _, r in ipairs(spec.resources) do
        local token = string.format('%d', redis.call('INCR', KEYS[3]))
        task_lease_put(base, KEYS[1], KEYS[2], r, agent, token, now, expires, 'task ' .. id)
        held[#held + 1] = '{"resource":' .. cjson.encode(r) .. ',"token":' .. token .. '}'
      end
      local token = string.format('%d', redis.call('INCR', KEYS[3]))
      redis.call('ZREM', ready, id)
      redis.call('ZREM', base .. 't-queued:' .. pool, id)
      redis.call('HSET', base .. 't:' .. id, 'state', 'claimed', 'attempts', tonumber(t.attempts) + 1, 'holder', agent,
        'token', token, 'claimed', now, 'expires', expires, 'leases', '[' .. table.concat(held, ',') .. ']',
        'retry', '', 'updated', now)
      redis.call('ZADD', base .. 't-claimed', expires, id)
      redis.call('SADD', base .. 't-holder:' .. agent, id)
      task_event(base, id, now, 'claimed', agent, token, '')
      return { task_reply(base, id), died }
    end
  end
end
return { {}, died }
