-- One handoff. KEYS: its hash. ARGV: base, seq.
return ho_reply(ARGV[1], ARGV[2])
