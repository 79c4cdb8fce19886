package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuMeterTest {
    private static final List<URI> TWO_NODES =
            List.of(URI.create("http://127.0.0.1:7701"), URI.create("http://127.0.0.1:7702"));
    private static final long SECOND = 1_000_000_000L;

    @Test
    void hub_cpu_is_the_sum_of_the_node_processes_and_each_node_has_its_request_count() {
        // 10 s; node processes used 600 and 400 ticks (6 s and 4 s); the machine was busy 1800 ticks of 2000.
        CpuMeter.Sample a = new CpuMeter.Sample(0, 0, new long[] {1000, 2000}, 5000, 10_000, new long[] {100, 200});
        CpuMeter.Sample b = new CpuMeter.Sample(
                10 * SECOND, 3 * SECOND, new long[] {1600, 2400}, 6800, 12_000, new long[] {10_100, 10_200});

        Map<String, Object> facts = CpuMeter.facts(a, b, TWO_NODES, List.of(11L, 22L));

        assertThat(facts)
                .containsEntry("requests/s", 2000.0)
                .containsEntry(
                        "requests per hub node",
                        Map.of("http://127.0.0.1:7701", 10_000L, "http://127.0.0.1:7702", 10_000L))
                .containsEntry("hub CPU, cores", 1.0)
                .containsEntry("hub CPU per process, cores", Map.of("pid 11", 0.6, "pid 22", 0.4))
                .containsEntry("hub CPU per request, ms", 0.5)
                .containsEntry("generator CPU, cores", 0.3)
                .containsEntry("other processes' CPU, cores", 0.5);
    }

    @Test
    void hub_cpu_is_left_out_when_one_node_process_cannot_be_read() {
        CpuMeter.Sample a = new CpuMeter.Sample(0, 0, new long[] {1000, -1}, 5000, 10_000, new long[] {0, 0});
        CpuMeter.Sample b = new CpuMeter.Sample(SECOND, 0, new long[] {1100, -1}, 5100, 10_200, new long[] {5, 5});

        Map<String, Object> facts = CpuMeter.facts(a, b, TWO_NODES, List.of(11L, 22L));

        assertThat(facts).doesNotContainKeys("hub CPU, cores", "hub CPU per process, cores");
        assertThat(facts).containsEntry("requests/s", 10.0);
    }

    @Test
    void one_node_reports_no_per_node_lines() {
        CpuMeter.Sample a = new CpuMeter.Sample(0, 0, new long[] {0}, 0, 100, new long[] {0});
        CpuMeter.Sample b = new CpuMeter.Sample(SECOND, 0, new long[] {50}, 100, 300, new long[] {1000});

        Map<String, Object> facts = CpuMeter.facts(a, b, TWO_NODES.subList(0, 1), List.of(11L));

        assertThat(facts)
                .containsEntry("hub CPU, cores", 0.5)
                .doesNotContainKeys("requests per hub node", "hub CPU per process, cores");
    }
}
