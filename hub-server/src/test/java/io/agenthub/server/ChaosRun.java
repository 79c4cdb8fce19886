package io.agenthub.server;

import io.agenthub.chaos.ChaosReport;
import java.nio.file.Path;

/**
 * The chaos suite's one report for the test run, {@code hub-server/target/chaos/chaos-report.md}, which CI keeps and
 * {@code scripts/test-summary.sh} points to. Begun by the first chaos test class of the run.
 */
final class ChaosRun {
    static final Path FILE = Path.of("target", "chaos", "chaos-report.md");
    private static ChaosReport report;

    private ChaosRun() {}

    static synchronized ChaosReport report() {
        if (report == null) {
            report = new ChaosReport(FILE);
            report.begin("Chaos suite report");
        }
        return report;
    }
}
