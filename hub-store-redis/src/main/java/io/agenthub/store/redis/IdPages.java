package io.agenthub.store.redis;

import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a set of records indexed by id (a sorted set whose scores are all 0) one page of {@value #PAGE} ids per script
 * call, each page starting after the last id of the one before, so that reading a large fleet never holds Redis for
 * longer than a page takes (one script over 10,000 agents held it for over 100 ms, every other command of every node
 * waiting). The pages are not one snapshot: a record added or removed meanwhile may be read or not, each record whole.
 */
final class IdPages {
    static final int PAGE = 200;

    private IdPages() {}

    /**
     * Calls {@code script} (KEYS: the ids; ARGV: {@code base}, the last id read or '', the page size) until a page comes
     * back short, and hands each record ({@code width} values, its id first) to {@code record}, in id order.
     */
    static void each(
            RedisLink redis, LuaScript script, String ids, String base, int width, Consumer<List<Object>> record) {
        String after = "";
        while (true) {
            List<Object> page =
                    redis.eval(script, ScriptOutputType.MULTI, new String[] {ids}, base, after, Integer.toString(PAGE));
            for (int i = 0; i + width <= page.size(); i += width) {
                List<Object> r = page.subList(i, i + width);
                after = Replies.string(r.getFirst());
                record.accept(r);
            }
            if (page.size() < width * PAGE) {
                return;
            }
        }
    }
}
