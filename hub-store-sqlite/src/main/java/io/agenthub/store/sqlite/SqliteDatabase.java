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
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite file in WAL mode: one writer connection whose transactions are serialized (so every write method of a
 * store is atomic), and a small pool of reader connections that read concurrently with it.
 */
final class SqliteDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    /** Migrations in order; each runs once, recorded in {@code schema_version}. */
    static final List<String> MIGRATIONS =
            List.of("V1__core.sql", "V2__messages.sql", "V3__knowledge.sql", "V4__inbox_ack.sql", "V5__lifecycle.sql");

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
        String url = "jdbc:sqlite:" + file.toAbsolutePath() + "?journal_mode=WAL&synchronous="
                + (fullSync ? "FULL" : "NORMAL") + "&busy_timeout=5000&foreign_keys=true";
        try {
            writer = DriverManager.getConnection(url + "&transaction_mode=IMMEDIATE");
            all.add(writer);
            migrate(writer);
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

    private static void migrate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    + " applied_at TEXT NOT NULL)");
            int current = 0;
            try (ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
                if (rs.next()) {
                    current = rs.getInt(1);
                }
            }
            for (int v = current + 1; v <= MIGRATIONS.size(); v++) {
                String name = MIGRATIONS.get(v - 1);
                c.setAutoCommit(false);
                for (String sql : statements(name)) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO schema_version VALUES (" + v + ", '" + name + "', datetime('now'))");
                c.commit();
                c.setAutoCommit(true);
                LOG.info("SQLite schema migrated to {} ({})", v, name);
            }
        }
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
