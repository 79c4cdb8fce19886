-- Requeues tasks whose claim expired and queues due retries (see TaskStore.requeueExpired).
-- KEYS: lease names, lease ends, fence, t-all. ARGV: base, now, max. Returns the changed tasks.
local out = task_requeue_expired(ARGV[1], KEYS[2], ARGV[2], tonumber(ARGV[3]))
for _, reply in ipairs(task_promote(ARGV[1], ARGV[2])) do
  out[#out + 1] = reply
end
return out
