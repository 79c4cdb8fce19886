package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.server.config.HubConfig;
import io.agenthub.server.config.LifecycleSettings;
import io.agenthub.server.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void quotas_take_zero_for_no_quota_and_refuse_negative_numbers() {
        for (Setting quota : List.of(
                Setting.MEMORY_QUOTA_ENTRIES,
                Setting.MEMORY_QUOTA_BYTES,
                Setting.CHANNEL_QUOTA,
                Setting.ERROR_ISSUE_QUOTA)) {
            String key = quota.key();
            assertThat(HubConfig.of(Map.of(key, "0")).wholeNumber(quota)).isZero();
            assertThatThrownBy(() -> HubConfig.of(Map.of(key, "-1")))
                    .hasMessageContaining(key)
                    .hasMessageContaining("0 or more");
            assertThatThrownBy(() -> HubConfig.of(Map.of(key, "many"))).hasMessageContaining(key);
        }
        assertThat(HubConfig.of(Map.of("memory-quota-bytes", "10000000000")).wholeNumber(Setting.MEMORY_QUOTA_BYTES))
                .isEqualTo(10_000_000_000L);
    }

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
    void bad_lifecycle_values_fail_at_start_naming_the_setting() {
        Map<String, String> bad = Map.of(
                "prices", "haiku=1/5",
                "usage-time-zone", "Mars/Olympus",
                "context-limits", "opus=200000/100000",
                "context-transfer-tokens", "zero",
                "budget-halt-usd", "50",
                "agent-budgets-usd", "dev=lots",
                "model-routing", "simple=claude-haiku-4-5",
                "reaped-leases", "sometimes",
                "alert-channel", "Not A Channel",
                "stall-after", "0s");
        bad.forEach((key, value) -> assertThatThrownBy(() -> HubConfig.of(Map.of(key, value)))
                .as(key)
                .hasMessageContaining(key.equals("budget-halt-usd") ? "budget-info-usd" : key));
        LifecycleSettings life = LifecycleSettings.from(HubConfig.of(Map.of(
                "usage-time-zone", "Europe/Berlin",
                "essential-agents", "lead, pool:ops",
                "agent-budgets-usd", "dev=12.5",
                "budget-info-usd", "10")));
        assertThat(life.zone().getId()).isEqualTo("Europe/Berlin");
        assertThat(life.budget().essential("lead", "")).isTrue();
        assertThat(life.budget().essential("x", "ops")).isTrue();
        assertThat(life.budget().budgetOf("dev")).isEqualTo(12_500_000_000L);
        assertThat(life.budget().info()).isEqualTo(10_000_000_000L);
        assertThat(life.handOverReapedLeases()).isTrue();
        assertThat(life.opsChannel()).isEqualTo("ops");
        assertThatThrownBy(() -> LifecycleSettings.from(HubConfig.of(Map.of("ops-channel", "#ops"))))
                .hasMessageContaining("ops-channel");
        assertThat(LifecycleSettings.from(HubConfig.of(Map.of("alert-channel", "alerts")))
                        .opsChannel())
                .as("the former name still works")
                .isEqualTo("alerts");
        assertThat(life.prices()
                        .priceOf("claude-opus-4-1-20250805")
                        .orElseThrow()
                        .match())
                .isEqualTo("opus-4-1");
    }

    @Test
    void lease_name_settings_are_checked_at_start_and_reach_the_lease_service() {
        assertThatThrownBy(() -> HubConfig.of(Map.of("lease-path-root", "/work/repo,checkout")))
                .hasMessageContaining("lease-path-root")
                .hasMessageContaining("absolute directory paths");
        assertThatThrownBy(() -> HubConfig.of(Map.of("lease-case-insensitive", "sometimes")))
                .hasMessageContaining("lease-case-insensitive");
        HubConfig config =
                HubConfig.of(Map.of("lease-path-root", " /work/repo/ , C:\\repo", "lease-case-insensitive", "true"));
        assertThat(config.resourceNaming().roots()).containsExactly("/work/repo", "C:/repo");
        assertThat(config.resourceNaming().canonical("/work/repo/Src/A.ts")).isEqualTo("src/a.ts");
    }

    @Test
    void bad_work_queue_values_fail_at_start_naming_the_setting() {
        assertThatThrownBy(() -> HubConfig.of(Map.of("task-max-attempts", "51")))
                .hasMessageContaining("task-max-attempts");
        assertThatThrownBy(() -> HubConfig.of(Map.of("task-default-ttl", "2h")))
                .hasMessageContaining("task-default-ttl");
        assertThatThrownBy(() -> HubConfig.of(Map.of("task-queue-max", "0"))).hasMessageContaining("task-queue-max");
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
