package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class LoadBenchOptionsTest {
    private static Settings parse(String... args) {
        LoadBench bench = new LoadBench();
        LoadBench.commandLine(bench).parseArgs(args);
        return bench.settings();
    }

    @Test
    void one_url_and_one_pid_are_a_fleet_of_one() {
        Settings s = parse("--url", "http://127.0.0.1:7700", "--hub-pid", "4242");

        assertThat(s.urls()).containsExactly(URI.create("http://127.0.0.1:7700"));
        assertThat(s.hubPids()).containsExactly(4242L);
    }

    @Test
    void comma_separated_urls_and_pids_keep_their_order() {
        Settings s =
                parse("--url", "http://127.0.0.1:7702, http://localhost:7701", "--hub-pid", "20,10", "--clients", "64");

        assertThat(s.urls()).containsExactly(URI.create("http://127.0.0.1:7702"), URI.create("http://localhost:7701"));
        assertThat(s.hubPids()).containsExactly(20L, 10L);
        assertThat(s.clients()).isEqualTo(64);
    }

    @Test
    void a_later_url_option_replaces_an_earlier_one_as_other_options_do() {
        Settings s = parse("--url", "http://127.0.0.1:7700", "--url", "http://127.0.0.1:7701,http://127.0.0.1:7702");

        assertThat(s.urls()).hasSize(2).first().isEqualTo(URI.create("http://127.0.0.1:7701"));
    }

    @Test
    void without_a_pid_no_hub_cpu_is_measured() {
        assertThat(parse("--url", "http://127.0.0.1:7700").hubPids()).isEmpty();
    }

    @Test
    void every_url_must_be_loopback() {
        assertThatThrownBy(() -> parse("--url", "http://127.0.0.1:7700,http://192.0.2.7:7700"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback")
                .hasMessageContaining("192.0.2.7");
        assertThatThrownBy(() -> parse("--url", "http://127.0.0.1:7700,https://127.0.0.1:7701"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
    }

    @Test
    void empty_duplicate_and_malformed_entries_are_refused() {
        assertThatThrownBy(() -> parse("--url", "http://127.0.0.1:7700,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty entry");
        assertThatThrownBy(() -> parse("--url", "http://127.0.0.1:7700,http://127.0.0.1:7700"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("--url", "http://127.0.0.1:7700", "--hub-pid", "12,abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--hub-pid");
        assertThatThrownBy(() -> parse("--url", "http://127.0.0.1:7700", "--hub-pid", "12,12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void the_api_is_this_hubs_unless_the_original_is_asked_for() {
        assertThat(parse("--url", "http://127.0.0.1:7700").api()).isEqualTo(Api.HUB);
        assertThat(parse("--url", "http://127.0.0.1:3001", "--api", "original").api())
                .isEqualTo(Api.ORIGINAL);
    }

    @Test
    void workloads_the_original_has_no_routes_for_are_refused_before_any_request() {
        LoadBench bench = new LoadBench();
        // Port 9 (discard) on loopback: nothing answers there, so a request would fail differently.
        LoadBench.commandLine(bench)
                .parseArgs("--url", "http://127.0.0.1:9", "--api", "original", "lease-new", "connections");
        assertThatThrownBy(bench::call)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no routes for connections");
    }
}
