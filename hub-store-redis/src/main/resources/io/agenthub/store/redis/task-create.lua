-- Stores a new queued task (see TaskStore.create). KEYS: lease names, lease ends, fence, t-all.
-- ARGV: base, pool, priority, deadline or '', max attempts, spec JSON, created by, now, max depth, dependencies JSON,
-- and for a rollout's split the spec JSON with the split's version (or '') and the split's weight: the task gets that
-- spec when the bucket of the pool's next split number n (t-route:<pool>), (n mod 100) * 61 mod 100 as
-- TaskStore.Split.bucket, is below the weight.
-- Returns {'stored', task}, {'full', depth} or {'missing', id}.
local base, pool, now = ARGV[1], ARGV[2], ARGV[8]
local depth = redis.call('ZCARD', base .. 't-queued:' .. pool)
if depth >= tonumber(ARGV[9]) then
  return { 'full', depth }
end
local deps = cjson.decode(ARGV[10])
local waiting = 0
for _, dep in ipairs(deps) do
  local state = redis.call('HGET', base .. 't:' .. dep, 'state')
  if not state then
    return { 'missing', dep }
  end
  if state ~= 'done' then
    waiting = waiting + 1
  end
end
local seq = redis.call('INCR', base .. 't-seq')
local id = 't-' .. seq
local t = { id = id, pool = pool, priority = ARGV[3] }
local spec = ARGV[6]
if ARGV[11] and ARGV[11] ~= '' then
  local n = redis.call('INCR', base .. 't-route:' .. pool)
  local bucket = (n % 100) * 61 % 100
  if bucket < tonumber(ARGV[12]) then
    spec = ARGV[11]
  end
end
redis.call('HSET', base .. 't:' .. id, 'pool', pool, 'priority', ARGV[3], 'deadline', ARGV[4], 'max', ARGV[5],
  'spec', spec, 'by', ARGV[7], 'created', now, 'state', 'queued', 'attempts', '0', 'waiting', waiting,
  'retry', '', 'result', '', 'reason', '', 'updated', now)
for _, dep in ipairs(deps) do
  redis.call('SADD', base .. 't-deps:' .. dep, id)
end
redis.call('ZADD', KEYS[4], seq, id)
redis.call('ZADD', base .. 't-pools', 0, pool)
redis.call('ZADD', base .. 't-queued:' .. pool, now, id)
if waiting == 0 then
  task_ready(base, t)
end
task_event(base, id, now, 'created', ARGV[7], '0', '')
task_changed(base)
return { 'stored', task_reply(base, id) }
