-- Stores a new queued task (see TaskStore.create). KEYS: lease names, lease ends, fence, t-all.
-- ARGV: base, pool, priority, deadline or '', max attempts, spec JSON, created by, now, max depth, dependencies JSON.
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
redis.call('HSET', base .. 't:' .. id, 'pool', pool, 'priority', ARGV[3], 'deadline', ARGV[4], 'max', ARGV[5],
  'spec', ARGV[6], 'by', ARGV[7], 'created', now, 'state', 'queued', 'attempts', '0', 'waiting', waiting,
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
