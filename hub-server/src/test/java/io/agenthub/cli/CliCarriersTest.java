package io.agenthub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CliCarriersTest {
    private static final String KEY = "jdk.virtualThreadScheduler.parallelism";

    @Test
    void the_launcher_asks_for_more_carrier_threads_than_cores_unless_told_otherwise() {
        String before = System.getProperty(KEY);
        try {
            System.clearProperty(KEY);
            Cli.carriers();
            assertThat(Integer.parseInt(System.getProperty(KEY)))
                    .isGreaterThanOrEqualTo(Cli.MIN_CARRIERS)
                    .isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
            System.setProperty(KEY, "3");
            Cli.carriers();
            assertThat(System.getProperty(KEY)).isEqualTo("3");
        } finally {
            if (before == null) {
                System.clearProperty(KEY);
            } else {
                System.setProperty(KEY, before);
            }
        }
    }
}
