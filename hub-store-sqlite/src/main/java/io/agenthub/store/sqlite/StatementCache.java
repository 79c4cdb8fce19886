package io.agenthub.store.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wraps a connection so that {@code prepareStatement(sql)} returns a statement prepared once and kept open: the
 * caller's {@code close()} only clears its parameters. sqlite-jdbc has no statement cache of its own, and preparing was
 * a sixth of the hub's CPU under load. A connection is used by one thread at a time (the writer thread, or a reader
 * borrowed from the pool), so the cache needs no locking. At most {@value #MAX} statements are kept, least recently
 * used first out.
 */
final class StatementCache {
    static final int MAX = 256;

    private StatementCache() {}

    static Connection wrap(Connection real) {
        Map<String, PreparedStatement> cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= MAX) {
                    return false;
                }
                try {
                    ((Kept) Proxy.getInvocationHandler(eldest.getValue())).real.close();
                } catch (SQLException e) {
                    // Closing a statement we no longer use; nothing to recover.
                }
                return true;
            }
        };
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") && args != null && args.length == 1) {
                String sql = (String) args[0];
                PreparedStatement kept = cache.get(sql);
                if (kept == null) {
                    kept = keep(real.prepareStatement(sql));
                    cache.put(sql, kept);
                }
                return kept;
            }
            if (method.getName().equals("close")) {
                for (PreparedStatement ps : cache.values()) {
                    ((Kept) Proxy.getInvocationHandler(ps)).real.close();
                }
                cache.clear();
            }
            return invoke(real, method, args);
        };
        return (Connection) Proxy.newProxyInstance(
                StatementCache.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private record Kept(PreparedStatement real) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            return switch (method.getName()) {
                case "close" -> {
                    real.clearParameters();
                    yield null;
                }
                case "isClosed" -> false;
                default -> StatementCache.invoke(real, method, args);
            };
        }
    }

    private static PreparedStatement keep(PreparedStatement real) {
        return (PreparedStatement) Proxy.newProxyInstance(
                StatementCache.class.getClassLoader(), new Class<?>[] {PreparedStatement.class}, new Kept(real));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
