package io.agenthub.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceServiceTest {
    private final List<TraceEntry> written = new ArrayList<>();
    private final TraceService traces = new TraceService(
            new TraceStore() {
                @Override
                public void append(List<TraceEntry> entries) {
                    written.addAll(entries);
                }

                @Override
                public List<TraceEntry> list(String agentId, Instant since, int limit) {
                    return List.of();
                }

                @Override
                public List<TraceEntry> latest(String agentId, Instant since, TraceCursor before, int limit) {
                    return List.of();
                }

                @Override
                public int purgeBefore(Instant before) {
                    return 0;
                }

                @Override
                public int trimTo(long maxEntries) {
                    return 0;
                }
            },
            InstantSource.fixed(Instant.parse("2026-05-04T10:00:00Z")));

    private List<String> flushed() {
        traces.flush();
        return written.stream()
                .map(e -> e.agentId() + " " + e.kind() + " " + e.action() + " " + e.outcome() + " " + e.millis())
                .toList();
    }

    @Test
    void a_call_that_a_service_described_is_one_entry_with_the_calls_latency() {
        traces.beginCall();
        traces.record("alice", "lease", "acquire", "src/a.java", "granted token 7", 0);
        traces.endCall("alice", "POST /api/leases", 201, "201", 12);
        assertThat(flushed()).containsExactly("alice lease acquire granted token 7 12");
    }

    @Test
    void a_failed_call_keeps_the_services_words_and_adds_its_status() {
        traces.beginCall();
        traces.record("bob", "lease", "acquire", "src/a.java", "refused: held by alice", 0);
        traces.endCall("bob", "POST /api/leases", 409, "409 lease_held", 3);
        assertThat(flushed()).containsExactly("bob lease acquire refused: held by alice (409 lease_held) 3");
    }

    @Test
    void a_call_no_service_described_gets_a_call_entry() {
        traces.beginCall();
        traces.endCall("alice", "GET /api/leases", 200, "200", 1);
        assertThat(flushed()).containsExactly("alice call GET /api/leases 200 1");
    }

    @Test
    void entries_about_other_agents_stay_beside_the_callers_own_call_entry() {
        traces.beginCall();
        traces.record("bob", "lease", "force-release", "src/a.java", "released by an admin", 0);
        traces.endCall("admin", "DELETE /api/leases", 200, "200", 4);
        assertThat(flushed())
                .containsExactly(
                        "bob lease force-release released by an admin 0", "admin call DELETE /api/leases 200 4");
    }

    @Test
    void outside_a_call_entries_are_queued_at_once() {
        traces.record("carol", "lease", "reaped", "x", "released", 0);
        assertThat(flushed()).containsExactly("carol lease reaped released 0");
        traces.beginCall();
        traces.endCall();
        traces.record("carol", "message", "post", "general", "m1", 0);
        assertThat(flushed()).hasSize(2);
    }
}
