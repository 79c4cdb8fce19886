package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void flags_beat_environment_which_beats_the_file_which_beats_defaults() throws Exception {
        Path file = Files.createTempFile("hub", ".properties");
        Files.writeString(file, "port=7800\nlease-max-ttl=3h\nbind=127.0.0.2\n");
        HubConfig c =
                HubConfig.load(Map.of("HUB_PORT", "7900", "HUB_LEASE_MAX_TTL", "4h"), Map.of("port", "8000"), file);
        assertThat(c.integer(Setting.PORT)).isEqualTo(8000);
        assertThat(c.duration(Setting.LEASE_MAX_TTL)).isEqualTo(Duration.ofHours(4));
        assertThat(c.string(Setting.BIND)).isEqualTo("127.0.0.2");
        assertThat(c.duration(Setting.MESSAGE_RETENTION)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void bad_values_fail_at_start_naming_the_setting() {
        assertThatThrownBy(() -> HubConfig.of(Map.of("port", "http")))
                .hasMessageContaining("port")
                .hasMessageContaining("HUB_PORT");
        assertThatThrownBy(() -> HubConfig.of(Map.of("lease-max-ttl", "forever")))
                .hasMessageContaining("lease-max-ttl");
        assertThatThrownBy(() -> HubConfig.of(Map.of("lease-default-ttl", "3h")))
                .hasMessageContaining("lease-default-ttl");
        assertThatThrownBy(() -> HubConfig.of(Map.of("admin-token", "short"))).hasMessageContaining("HUB_ADMIN_TOKEN");
        assertThatThrownBy(() -> HubConfig.of(Map.of("no-such-thing", "1"))).hasMessageContaining("no-such-thing");
        assertThatThrownBy(() -> HubConfig.of(Map.of("sqlite-sync", "sometimes")))
                .hasMessageContaining("sqlite-sync");
    }

    @Test
    void secrets_are_masked_in_the_printed_configuration() {
        HubConfig c = HubConfig.of(Map.of("admin-token", "super-secret-admin-token-123456"));
        assertThat(c.toString()).doesNotContain("super-secret").contains("********");
        assertThat(c.masked().get("admin-token")).isEqualTo("********");
    }

    @Test
    void a_generated_admin_token_is_stored_owner_only_and_reused() throws Exception {
        Path dir = Files.createTempDirectory("hub-token");
        AdminToken.Resolved first = AdminToken.resolve("", dir);
        assertThat(first.generated()).isTrue();
        assertThat(Files.getPosixFilePermissions(first.file()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        AdminToken.Resolved second = AdminToken.resolve("", dir);
        assertThat(second.generated()).isFalse();
        assertThat(second.token()).isEqualTo(first.token());
    }
}
