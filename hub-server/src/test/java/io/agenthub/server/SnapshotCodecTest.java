package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.handoff.Handoff;
import io.agenthub.handoff.HandoffStatus;
import io.agenthub.handoff.Target;
import io.agenthub.server.ops.SnapshotCodec;
import io.agenthub.snapshot.SnapshotRecord;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The snapshot file format reads back what it writes. */
class SnapshotCodecTest {
    @Test
    void a_handoff_record_reads_back_with_its_targets() {
        Instant t = Instant.parse("2026-01-01T12:00:00Z");
        Handoff h = new Handoff(
                "ho-7",
                Handoff.Kind.MANUAL,
                "alice",
                Target.agent("bob"),
                Target.pool("web"),
                "finish the login fix",
                "",
                List.of("test it"),
                List.of(),
                List.of("src/login.ts"),
                0,
                HandoffStatus.PENDING,
                List.of(),
                "",
                "",
                t,
                t,
                t.plusSeconds(1800),
                null,
                null,
                false);
        SnapshotRecord record = new SnapshotRecord.HandoffRow(h, "transfer:alice");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SnapshotCodec.Writer w = new SnapshotCodec.Writer(out, "test", "sqlite", t);
        w.write(record);
        w.finish();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"to\":\"agent:bob\"", "\"fallback\":\"pool:web\"");

        List<SnapshotRecord> read = new ArrayList<>();
        SnapshotCodec.read(new BufferedReader(new StringReader(out.toString(StandardCharsets.UTF_8))))
                .forEachRemaining(read::add);
        assertThat(read).containsExactly(record);
    }
}
