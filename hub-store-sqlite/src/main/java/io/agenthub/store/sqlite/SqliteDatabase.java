package io.agenthub.store.sqlite;

import io.agenthub.error.HubException;
import io.agenthub.store.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite file in WAL mode: one writer connection owned by one writer thread, and a small pool of reader connections
 * that read concurrently with it.
 *
 * <p>Writes use group commit. Callers hand their work to the writer thread, which drains the queue and runs each batch
 * in one transaction, every item inside its own savepoint: an item that fails rolls back alone, the others commit
 * together, and each caller returns only after the commit that made its work durable. Items run one after another on
 * one connection, so every write method of a store stays atomic and sees the effects of the items before it. The queue
 * is bounded; when it is full, writes fail fast with {@link HubException.Unavailable}.
 *
 * <p>A caller waits at most {@link #WRITE_TIMEOUT_SECONDS} for its commit. One long job, a snapshot restore, runs
 * through {@link #writeAlone} instead: in a transaction of its own, with no such limit.
 */
final class SqliteDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    /**
     * Migrations; each runs once, recorded in {@code schema_version} under the number in its name ({@code V6__x.sql} is
     * version 6). Every migration not yet recorded is applied, in order of number, so a migration merged in later
     * with a lower number than one already applied still runs.
     */
    static final List<String> MIGRATIONS = List.of(
            "V1__core.sql",
            "V2__messages.sql",
            "V3__knowledge.sql",
            "V4__inbox_ack.sql",
            "V5__lifecycle.sql",
            "V6__operations.sql",
            "V7__throttle.sql",
            "V8__trace_lean.sql",
            "V9__agent_disabled.sql",
            "V10__memory_merge.sql",
            "V14__tasks.sql",
            "V16__transcript_cursors.sql",
            "V17__memory_author.sql",
            "V18__rollouts_flags.sql",
            "V19__security_events.sql",
            "V20__active_indexes.sql",
            "V21__drills.sql",
            "V23__task_ended.sql");

    private static final Pattern MIGRATION_NAME = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    /** Most items committed in one transaction. */
    static final int MAX_BATCH = 256;
    /** Most write items waiting for the writer thread. */
    static final int MAX_QUEUE = 20_000;
    /** Pause between two WAL checkpoints. */
    static final long CHECKPOINT_EVERY_MILLIS = 250;
    /** WAL frames (pages) beyond which a checkpoint also restarts the WAL: 16 MiB with 4 KiB pages. */
    static final int RESTART_FRAMES = 4096;
    /** Bytes of WAL file kept after a checkpoint has copied every frame (a larger file is truncated to this). */
    static final long WAL_SIZE_LIMIT = 64L * 1024 * 1024;
    /**
     * Page cache of each connection, in KiB (SQLite's default is 2 MiB): the lease, agent and trace indexes of a busy
     * day stay in it instead of being read back from the OS on every statement.
     */
    static final int CACHE_KIB = 32 * 1024;
    /** Bytes of the database file each connection reads through a memory map instead of read() calls. */
    static final long MMAP_BYTES = 256L * 1024 * 1024;
    /** Longest a caller of {@link #write} waits for its write to commit. */
    static final int WRITE_TIMEOUT_SECONDS = 30;

    private final Duration writeTimeout;

    private final Connection writer;
    private final BlockingQueue<Job<?>> queue = new ArrayBlockingQueue<>(MAX_QUEUE);
    /** Writes handed to the writer thread since open; lets tests show which operations stay off the writer. */
    private final AtomicLong submitted = new AtomicLong();
    /** Reads run on reader connections since open; lets tests show which operations skip them. */
    private final AtomicLong reads = new AtomicLong();
    /** Lease names granted and not seen end: tells an acquire whether a reader check could refuse it. */
    private final HeldLeaseNames leaseNames = new HeldLeaseNames();

    private final Thread writerThread;
    /** The job the writer thread is running (read and written by the writer thread only). */
    private Job<?> running;

    private Thread checkpointThread;
    /** WAL frames the checkpoint thread last saw. */
    private volatile int walFrames;

    private volatile boolean closing;
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
        this(file, fullSync, readerCount, quiet, Duration.ofSeconds(WRITE_TIMEOUT_SECONDS));
    }

    /** @param writeTimeout longest a caller of {@link #write} waits for its commit (tests shorten it) */
    SqliteDatabase(Path file, boolean fullSync, int readerCount, boolean quiet, Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
        // Created owner-only before SQLite opens it: SQLite gives the -wal and -shm files the database file's mode.
        PrivateFiles.directory(file.toAbsolutePath().getParent());
        PrivateFiles.file(file);
        PrivateFiles.restrictIfPresent(file.resolveSibling(file.getFileName() + "-wal"));
        PrivateFiles.restrictIfPresent(file.resolveSibling(file.getFileName() + "-shm"));
        String url = "jdbc:sqlite:" + file.toAbsolutePath() + "?journal_mode=WAL&synchronous="
                + (fullSync ? "FULL" : "NORMAL") + "&busy_timeout=5000&foreign_keys=true"
                // No store reads generated keys; left on, the driver matched every statement against a pattern of
                // INSERT after each execution (2 % of the hub's CPU per lease pair).
                + "&jdbc.get_generated_keys=false";
        try {
            Connection raw = DriverManager.getConnection(url + "&transaction_mode=IMMEDIATE");
            all.add(raw);
            tune(raw);
            migrate(raw, quiet);
            try (Statement s = raw.createStatement()) {
                // Checkpoints run on their own thread (below), never inside a commit of the writer.
                s.execute("PRAGMA wal_autocheckpoint=0");
                s.execute("PRAGMA journal_size_limit=" + WAL_SIZE_LIMIT);
            }
            raw.setAutoCommit(false);
            writer = StatementCache.wrap(raw);
            readers = new ArrayBlockingQueue<>(readerCount);
            for (int i = 0; i < readerCount; i++) {
                Connection reader = DriverManager.getConnection(url);
                all.add(reader);
                tune(reader);
                readers.add(StatementCache.wrap(reader));
            }
        } catch (SQLException e) {
            close();
            throw new HubException.Unavailable(
                    "Cannot open the SQLite store at " + file + ": " + e.getMessage(), Duration.ofSeconds(5), e);
        }
        writerThread = Thread.ofPlatform().name("sqlite-writer").daemon().start(this::writeLoop);
        checkpointThread =
                Thread.ofPlatform().name("sqlite-checkpoint").daemon().start(() -> checkpointLoop(url));
    }

    /**
     * Copies committed WAL frames into the database file every {@value #CHECKPOINT_EVERY_MILLIS} ms, on its own
     * connection. A checkpoint writes and syncs the database file; run inside the writer's commit (SQLite's default,
     * every 1000 pages) it stalled every queued write for as long as that took. A passive checkpoint runs beside the
     * writer and its readers; the writer restarts the WAL when it grows long (see {@link #restartWal}).
     */
    private void checkpointLoop(String url) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            while (!closing) {
                try {
                    Thread.sleep(CHECKPOINT_EVERY_MILLIS);
                } catch (InterruptedException e) {
                    if (closing) {
                        break;
                    }
                    continue;
                }
                try {
                    int frames;
                    try (ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                        rs.next();
                        frames = rs.getInt(2);
                    }
                    walFrames = frames;
                } catch (SQLException e) {
                    LOG.warn("WAL checkpoint failed: {}", e.getMessage());
                }
            }
        } catch (SQLException e) {
            LOG.warn("the WAL checkpoint thread stopped: {}", e.getMessage());
        }
    }

    /**
     * Sizes a connection's page cache and memory map, and keeps temporary b-trees (sorts, IN lists) in memory. A
     * statement's cost then follows the pages it touches, not whether they were read from the file lately.
     */
    private static void tune(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA cache_size=-" + CACHE_KIB);
            s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
            s.execute("PRAGMA temp_store=MEMORY");
        }
    }

    /** One caller's write work and where its outcome goes. */
    private static final class Job<T> {
        final Work<T> work;
        /** Runs in a transaction of its own: what was queued before it commits first, what comes after waits. */
        final boolean alone;

        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Throwable failure;
        /** What runs once this job's work has committed ({@link #afterCommit}); null if nothing. */
        List<Runnable> committed;

        Job(Work<T> work, boolean alone) {
            this.work = work;
            this.alone = alone;
        }

        void runIn(Connection c) {
            boolean open = false;
            try {
                run(c, "SAVEPOINT item");
                open = true;
                result = work.run(c);
                run(c, "RELEASE item");
            } catch (Throwable e) {
                failure = e;
                committed = null;
                if (open) {
                    try {
                        run(c, "ROLLBACK TO item");
                        run(c, "RELEASE item");
                    } catch (SQLException rollback) {
                        LOG.warn("rollback to savepoint failed: {}", rollback.getMessage());
                    }
                }
            }
        }

        /**
         * Runs a savepoint statement through the connection's statement cache ({@code Connection.setSavepoint} formats
         * and prepares a new statement every time).
         */
        private static void run(Connection c, String sql) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.execute();
            }
        }

        void finish() {
            if (failure == null) {
                done.complete(result);
            } else {
                done.completeExceptionally(failure);
            }
        }
    }

    private void writeLoop() {
        List<Job<?>> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                if (closing) {
                    break;
                }
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            int from = 0;
            for (int i = 0; i < batch.size(); i++) {
                Job<?> job = batch.get(i);
                if (job.alone && i > from) {
                    commit(batch.subList(from, i));
                    from = i;
                }
                running = job;
                try {
                    job.runIn(writer);
                } finally {
                    running = null;
                }
                if (job.alone) {
                    commit(batch.subList(from, i + 1));
                    from = i + 1;
                }
            }
            if (from < batch.size()) {
                commit(batch.subList(from, batch.size()));
            }
            batch.clear();
            if (walFrames >= RESTART_FRAMES) {
                restartWal();
            }
        }
        for (Job<?> job : queue) {
            job.done.completeExceptionally(
                    new HubException.Unavailable("The store is closing.", Duration.ofSeconds(5), null));
        }
    }

    /** Commits the items of one transaction and hands each caller its outcome. */
    private void commit(List<Job<?>> items) {
        try {
            writer.commit();
        } catch (SQLException e) {
            rollback();
            for (Job<?> job : items) {
                if (job.failure == null) {
                    job.failure = unavailable(e);
                }
            }
        }
        for (Job<?> job : items) {
            if (job.failure == null && job.committed != null) {
                for (Runnable hook : job.committed) {
                    try {
                        hook.run();
                    } catch (RuntimeException e) {
                        LOG.warn("an after-commit step failed: {}", e.toString());
                    }
                }
            }
        }
        items.forEach(Job::finish);
    }

    /**
     * Runs {@code hook} on the writer thread once the write that calls this has committed, before its caller returns,
     * and not at all if it rolls back. Hooks run in commit order, which is the order the writes ran in: a store keeps
     * what it holds in memory (a channel's newest messages) in step with the table, in order, without a gap a reader
     * could see. Call only from inside a {@link #write} or {@link #writeAlone} work.
     */
    void afterCommit(Runnable hook) {
        if (Thread.currentThread() != writerThread || running == null) {
            throw new IllegalStateException("afterCommit outside a write");
        }
        if (running.committed == null) {
            running.committed = new ArrayList<>(2);
        }
        running.committed.add(hook);
    }

    /**
     * Under steady writes a passive checkpoint never catches up with the writer, and the WAL starts over only once one
     * has: it grew by hundreds of MB a minute. So when the checkpoint thread reports a long WAL, the writer, between
     * two batches and outside any transaction, checkpoints itself: with no frames being appended meanwhile it copies
     * the few the background checkpoints left, and the next transaction then writes the WAL from its beginning (once no
     * reader still reads an older snapshot; else at a later try). It is a passive checkpoint, so it never waits for
     * readers: a restarting one did, and stalled every write for seconds under steady reads. Writes wait for the copy,
     * a few milliseconds every {@value #RESTART_FRAMES} pages.
     */
    private void restartWal() {
        walFrames = 0;
        try {
            writer.setAutoCommit(true);
            try (Statement s = writer.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
                rs.next();
            } finally {
                writer.setAutoCommit(false);
            }
        } catch (SQLException e) {
            LOG.warn("WAL restart failed: {}", e.getMessage());
        }
    }

    /**
     * Runs {@code work} atomically on the writer connection and returns once it is committed. If {@code work} throws,
     * its changes are rolled back and the exception is rethrown; other callers' work is unaffected.
     */
    <T> T write(Work<T> work) {
        return submit(work, false);
    }

    /**
     * Runs one long job (restoring a snapshot) atomically on the writer connection, in a transaction of its own, and
     * waits for its commit however long it takes: there is no {@link #WRITE_TIMEOUT_SECONDS} limit, so a large job
     * never ends with the caller told "may or may not have been applied". Writes queued before it commit before it
     * starts; writes queued while it runs wait behind it and may time out, so use it only while nothing else writes
     * ({@code hub import} holds the data directory's lock, so no hub serves from this file meanwhile). If {@code work}
     * throws, everything it did is rolled back.
     */
    /** How many writes were handed to the writer thread since open. */
    long writesSubmitted() {
        return submitted.get();
    }

    /** How many reads ran on reader connections since open. */
    long readsRun() {
        return reads.get();
    }

    HeldLeaseNames leaseNames() {
        return leaseNames;
    }

    <T> T writeAlone(Work<T> work) {
        return submit(work, true);
    }

    private <T> T submit(Work<T> work, boolean alone) {
        if (Thread.currentThread() == writerThread) {
            try {
                return work.run(writer);
            } catch (SQLException e) {
                throw unavailable(e);
            }
        }
        if (closing) {
            throw new HubException.Unavailable("The store is closing.", Duration.ofSeconds(5), null);
        }
        Job<T> job = new Job<>(work, alone);
        submitted.incrementAndGet();
        if (!queue.offer(job)) {
            throw new HubException.Unavailable(
                    "The store has " + MAX_QUEUE + " writes waiting; retry shortly.", Duration.ofSeconds(1), null);
        }
        try {
            return alone ? job.done.get() : job.done.get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException.Unavailable("Interrupted while writing.", Duration.ofSeconds(1), e);
        } catch (TimeoutException e) {
            throw new HubException.Unavailable(
                    "The store did not confirm the write within " + seconds(writeTimeout) + "; it may or may not"
                            + " have been applied.",
                    Duration.ofSeconds(5),
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw unavailable(sql);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
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
        reads.incrementAndGet();
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

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
        closing = true;
        if (checkpointThread != null) {
            checkpointThread.interrupt();
            try {
                checkpointThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (writerThread != null) {
            writerThread.interrupt();
            try {
                writerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("closing a SQLite connection failed: {}", e.getMessage());
            }
        }
    }
}
