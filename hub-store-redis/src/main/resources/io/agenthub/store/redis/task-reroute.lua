-- Gives another version to queued and retry-waiting tasks of a pool that a rollout routed (see TaskStore.reroute).
-- KEYS: lease names, lease ends, fence, t-all (unused; the task keys are built from base). ARGV: base, pool, from
-- version, max, the spec fragment '"version":<from as JSON>' and its replacement, the routed label, the test label.
-- The spec is edited as text, since re-encoding it with cjson would turn its empty lists into objects.
local base, pool, from = ARGV[1], ARGV[2], ARGV[3]
local max, old, new = tonumber(ARGV[4]), ARGV[5], ARGV[6]
local n = 0
for _, id in ipairs(redis.call('ZRANGE', base .. 't-queued:' .. pool, 0, -1)) do
  if n >= max then
    break
  end
  local key = base .. 't:' .. id
  local text = redis.call('HGET', key, 'spec')
  local spec = text and cjson.decode(text)
  if spec and spec.version == from then
    local routed, test = false, false
    for _, l in ipairs(spec.labels) do
      if l == ARGV[7] then
        routed = true
      elseif l == ARGV[8] then
        test = true
      end
    end
    local at = string.find(text, old, 1, true)
    if routed and not test and at then
      redis.call('HSET', key, 'spec', string.sub(text, 1, at - 1) .. new .. string.sub(text, at + #old))
      n = n + 1
    end
  end
end
if n > 0 then
  task_changed(base)
end
return n
