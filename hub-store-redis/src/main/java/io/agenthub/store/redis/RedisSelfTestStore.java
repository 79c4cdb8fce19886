package io.agenthub.store.redis;

import io.agenthub.selftest.SelfTestRun;
import io.agenthub.selftest.SelfTestStore;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Self-test runs in Redis: JSON by id, indexed by start time; saving trims to the newest in the same script. */
final class RedisSelfTestStore implements SelfTestStore {
    private static final LuaScript SAVE = LuaScript.load("selftest-save");
    private static final LuaScript RECENT = LuaScript.load("selftest-recent");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisSelfTestStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    @Override
    public void save(SelfTestRun run, int keep) {
        redis.eval(
                SAVE,
                ScriptOutputType.INTEGER,
                new String[] {keys.selfTestRuns(), keys.selfTestByStart()},
                run.id(),
                Replies.millis(run.startedAt()),
                Json.write(run),
                Integer.toString(keep));
    }

    @Override
    public Optional<SelfTestRun> latest() {
        return recent(1).stream().findFirst();
    }

    @Override
    public List<SelfTestRun> recent(int limit) {
        List<Object> reply = redis.eval(
                RECENT,
                ScriptOutputType.MULTI,
                new String[] {keys.selfTestRuns(), keys.selfTestByStart()},
                Integer.toString(limit));
        List<SelfTestRun> out = new ArrayList<>();
        for (Object json : reply) {
            out.add(Json.read(Replies.string(json), SelfTestRun.class));
        }
        return out;
    }
}
