package io.agenthub.store.sqlite;

import io.agenthub.error.HubException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite file in WAL mode: one writer connection whose transactions are serialized (so every write method of a
 * store is atomic), and a small pool of reader connections that read concurrently with it.
 */
final class SqliteDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    /**
     * Migrations; each runs once, recorded in {@code schema_version} under the number in its name ({@code V6__x.sql} is
     * version 6). Every migration not yet recorded is applied, in order of number, so a migration merged in later
     * with a lower number than one already applied still runs.
     */
    static final List<String> MIGRATIONS =
            List.of("V1__core.sql", "V2__messages.sql", "V3__knowledge.sql", "V4__inbox_ack.sql", "V6__operations.sql");

    private static final Pattern MIGRATION_NAME = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers;
    private final List<Connection> all = new ArrayList<>();

    /** Work done with a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    SqliteDatabase(Path file, boolean fullSync, int readerCount) {
        this(file, fullSync, readerCount, false);
    }

    /** @param quiet log migrations at debug level (scratch databases of the self-test) */
    SqliteDatabase(Path file, boolean fullSync, int readerCount, boolean quiet) {
        String url = "jdbc:sqlite:" + file.toAbsolutePath() + "?journal_mode=WAL&synchronous="
                + (fullSync ? "FULL" : "NORMAL") + "&busy_timeout=5000&foreign_keys=true";
        try {
            writer = DriverManager.getConnection(url + "&transaction_mode=IMMEDIATE");
            all.add(writer);
            migrate(writer, quiet);
            writer.setAutoCommit(false);
            readers = new ArrayBlockingQueue<>(readerCount);
            for (int i = 0; i < readerCount; i++) {
                Connection reader = DriverManager.getConnection(url);
                all.add(reader);
                readers.add(reader);
            }
        } catch (SQLException e) {
            close();
            throw new HubException.Unavailable(
                    "Cannot open the SQLite store at " + file + ": " + e.getMessage(), Duration.ofSeconds(5), e);
        }
    }

    /** Runs {@code work} in one write transaction; commits on return, rolls back on any exception. */
    <T> T write(Work<T> work) {
        writeLock.lock();
        try {
            try {
                T result = work.run(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a reader connection (a consistent snapshot per statement). */
    <T> T read(Work<T> work) {
        Connection c;
        try {
            c = readers.poll(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException.Unavailable("Interrupted while waiting for the store.", Duration.ofSeconds(1), e);
        }
        if (c == null) {
            throw new HubException.Unavailable("The store is busy; retry shortly.", Duration.ofSeconds(1), null);
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        } finally {
            readers.add(c);
        }
    }

    /**
     * Runs {@code work} on a reader connection inside one read transaction: every statement sees the same snapshot of
     * the database (WAL), whatever commits meanwhile.
     */
    <T> T readSnapshot(Work<T> work) {
        return read(c -> {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                try {
                    c.rollback();
                } finally {
                    c.setAutoCommit(true);
                }
            }
        });
    }

    private void rollback() {
        try {
            writer.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }

    private static HubException unavailable(SQLException e) {
        return new HubException.Unavailable("The SQLite store failed: " + e.getMessage(), Duration.ofSeconds(1), e);
    }

    private static void migrate(Connection c, boolean quiet) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    + " applied_at TEXT NOT NULL)");
            Set<Integer> applied = new HashSet<>();
            try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                while (rs.next()) {
                    applied.add(rs.getInt(1));
                }
            }
            TreeMap<Integer, String> byVersion = new TreeMap<>();
            for (String name : MIGRATIONS) {
                byVersion.put(version(name), name);
            }
            for (Map.Entry<Integer, String> m : byVersion.entrySet()) {
                if (applied.contains(m.getKey())) {
                    continue;
                }
                c.setAutoCommit(false);
                for (String sql : statements(m.getValue())) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_version VALUES (" + m.getKey() + ", '" + m.getValue()
                        + "', datetime('now'))");
                c.commit();
                c.setAutoCommit(true);
                if (quiet) {
                    LOG.debug("SQLite schema migrated to {} ({})", m.getKey(), m.getValue());
                } else {
                    LOG.info("SQLite schema migrated to {} ({})", m.getKey(), m.getValue());
                }
            }
        }
    }

    static int version(String migration) {
        Matcher m = MIGRATION_NAME.matcher(migration);
        if (!m.matches()) {
            throw new IllegalStateException("migration " + migration + " is not named V<number>__<name>.sql");
        }
        return Integer.parseInt(m.group(1));
    }

    private static List<String> statements(String name) throws SQLException {
        try (InputStream in = SqliteDatabase.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new SQLException("migration " + name + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : text.split("\n")) {
                if (line.strip().startsWith("--")) {
                    continue;
                }
                current.append(line).append('\n');
                // Statements end with ';' at the end of a line; triggers end with 'END;'.
                String t = current.toString().strip();
                boolean inTrigger = t.toUpperCase().startsWith("CREATE TRIGGER");
                if (line.strip().endsWith(";") && (!inTrigger || line.strip().equalsIgnoreCase("END;"))) {
                    out.add(t);
                    current.setLength(0);
                }
            }
            if (!current.toString().isBlank()) {
                out.add(current.toString().strip());
            }
            return out;
        } catch (IOException e) {
            throw new SQLException("cannot read migration " + name, e);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("closing a SQLite connection failed: {}", e.getMessage());
            }
        }
    }
}
