package io.agenthub.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A chaos run's report in Markdown: per scenario, what was injected and when, what was checked with its result, and
 * figures. Each finished scenario is appended to the file at once, so a run that fails half-way still leaves the
 * scenarios before it (and the failing one, with the check that broke) on disk.
 */
public final class ChaosReport {
    private final Path file;

    public ChaosReport(Path file) {
        this.file = file;
    }

    /** Starts the file afresh with a title (call once per run). */
    public synchronized void begin(String title) {
        write(
                "# " + title + "\n\nStarted " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                        + ". Every scenario lists what was injected (seconds from its start), what was checked and the"
                        + " figures.\n",
                false);
    }

    public Path file() {
        return file;
    }

    /** Starts a scenario; {@link Scenario#close()} appends it to the file. */
    public Scenario scenario(String name, String proves) {
        return new Scenario(name, proves);
    }

    private synchronized void write(String text, boolean append) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (append) {
                Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.writeString(file, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One scenario being run. */
    public final class Scenario implements AutoCloseable {
        private final String name;
        private final String proves;
        private final long started = System.nanoTime();
        private final List<String> injected = new ArrayList<>();
        private final List<String> checks = new ArrayList<>();
        private final List<String> figures = new ArrayList<>();
        private boolean failed;

        private Scenario(String name, String proves) {
            this.name = name;
            this.proves = proves;
        }

        private String at() {
            return String.format(Locale.ROOT, "%6.1f s", (System.nanoTime() - started) / 1e9);
        }

        /** Records a fault switched on or off now. */
        public synchronized void inject(String what) {
            injected.add(at() + "  " + what);
        }

        /** A figure, e.g. {@code figure("acquisitions", "104,211")}. */
        public synchronized void figure(String name, Object value) {
            figures.add(name + ": " + value);
        }

        /**
         * Checks one property: records it as passed, or as failed and throws an {@link AssertionError} whose message
         * names the property and the evidence.
         */
        public void check(String property, boolean holds, String evidence) {
            synchronized (this) {
                String shown = holds && evidence.length() > 160 ? evidence.substring(0, 160) + "…" : evidence;
                checks.add((holds ? "PASS  " : "FAIL  ") + property + (shown.isEmpty() ? "" : " — " + shown));
                failed |= !holds;
            }
            if (!holds) {
                close();
                throw new AssertionError(
                        "Chaos scenario '" + name + "': property broken: " + property + " — " + evidence);
            }
        }

        private boolean written;

        /** Appends the scenario to the report (once). */
        @Override
        public synchronized void close() {
            if (written) {
                return;
            }
            written = true;
            StringBuilder b = new StringBuilder();
            b.append("\n## ")
                    .append(name)
                    .append(failed ? " — FAILED" : " — passed")
                    .append("\n\n");
            b.append(proves).append("\n\n");
            b.append(String.format(
                    Locale.ROOT,
                    "Took %.1f s.\n\n",
                    Duration.ofNanos(System.nanoTime() - started).toMillis() / 1e3));
            section(b, "Injected", injected);
            section(b, "Checked", checks);
            section(b, "Figures", figures);
            write(b.toString(), true);
        }

        private static void section(StringBuilder b, String title, List<String> lines) {
            if (lines.isEmpty()) {
                return;
            }
            b.append("**").append(title).append("**\n\n```\n");
            lines.forEach(l -> b.append(l).append('\n'));
            b.append("```\n\n");
        }
    }
}
