-- Appends an audit event with the next sequence number. KEYS: seq counter, log stream.
-- ARGV: field/value pairs. The stream entry id is <seq>-0, so readers page by sequence. Returns the sequence.
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], string.format('%d', seq) .. '-0', unpack(ARGV))
return seq
