package io.agenthub.store.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reading the replies of scripts: flat field/value lists, nested lists, numbers sent as strings or integers. */
final class Replies {
    private Replies() {}

    /** A reply that is a list (an empty list for nil). */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object reply) {
        return reply == null ? List.of() : (List<Object>) reply;
    }

    /** A flat {@code field, value, field, value...} list, as {@code HGETALL} returns it. */
    static Map<String, String> hash(Object reply) {
        List<Object> flat = list(reply);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.put(string(flat.get(i)), string(flat.get(i + 1)));
        }
        return out;
    }

    /** Each element of a list of {@code HGETALL} replies. */
    static List<Map<String, String>> hashes(Object reply) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Object o : list(reply)) {
            out.add(hash(o));
        }
        return out;
    }

    static String string(Object o) {
        return o == null ? null : o.toString();
    }

    static long number(Object o) {
        return o instanceof Long l ? l : Long.parseLong(o.toString());
    }

    static Instant millis(String s) {
        return Instant.ofEpochMilli(Long.parseLong(s));
    }

    /** Epoch milliseconds, or null for a missing or empty value. */
    static Instant optionalMillis(String s) {
        return s == null || s.isEmpty() ? null : millis(s);
    }

    static String millis(Instant t) {
        return Long.toString(t.toEpochMilli());
    }
}
