package io.agenthub.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.agent.Agent;
import io.agenthub.auth.Role;
import io.agenthub.error.HubException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetTest {
    private static final Agent WEB_RUST =
            Agent.fresh("dev", "Dev", Role.AGENT, List.of("rust"), Map.of("pool", "web"), Instant.EPOCH);

    @Test
    void targets_parse_from_their_written_form_and_admit_the_right_agents() {
        assertThat(Target.parse("dev")).isEqualTo(Target.agent("dev"));
        assertThat(Target.parse("agent:dev").admits(WEB_RUST)).isTrue();
        assertThat(Target.parse("pool:web").admits(WEB_RUST)).isTrue();
        assertThat(Target.parse("pool:ops").admits(WEB_RUST)).isFalse();
        assertThat(Target.parse("capability:rust").admits(WEB_RUST)).isTrue();
        assertThat(Target.parse("role:go").admits(WEB_RUST)).isFalse();
        assertThat(Target.parse(null)).isEqualTo(Target.any());
        assertThat(Target.parse("ANY").admits(WEB_RUST)).isTrue();
        assertThat(Target.parse("pool:web").toString()).isEqualTo("pool:web");
        assertThat(Target.poolOf(WEB_RUST)).isEqualTo(Target.pool("web"));
        assertThatThrownBy(() -> Target.parse("team:x")).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> Target.parse("pool:")).isInstanceOf(HubException.InvalidRequest.class);
    }

    @Test
    void handoff_ids_round_trip_and_reject_other_forms() {
        assertThat(Handoff.seqOf(Handoff.idOf(42))).isEqualTo(42);
        assertThat(Handoff.seqOf("ho-0")).isEqualTo(-1);
        assertThat(Handoff.seqOf("m42")).isEqualTo(-1);
        assertThat(Handoff.seqOf("ho-x")).isEqualTo(-1);
        assertThat(Handoff.seqOf(null)).isEqualTo(-1);
    }
}
