package io.agenthub.server.services;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Wake-ups go only to hosts on the admin's allow-list, judged after resolving the host. */
class WakeHostsTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A resolver with fixed answers, so that names can point anywhere. */
    private static WakeHosts hosts(Set<String> names, boolean loopback) {
        Map<String, String> dns = Map.of(
                "localhost", "127.0.0.1",
                "rebound.example", "10.0.0.7",
                "hooks.example", "192.0.2.10",
                "127.0.0.1", "127.0.0.1",
                "169.254.169.254", "169.254.169.254",
                "10.1.2.3", "10.1.2.3");
        return new WakeHosts(names, loopback, host -> {
            String a = dns.get(host);
            if (a == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {ip(a)};
        });
    }

    @Test
    void the_default_allows_loopback_and_refuses_metadata_and_private_addresses() {
        WakeHosts loopback = hosts(Set.of(), true);
        assertThat(loopback.refusal(URI.create("http://127.0.0.1:9000/wake"))).isNull();
        assertThat(loopback.refusal(URI.create("http://localhost:9000/wake"))).isNull();
        assertThat(loopback.refusal(URI.create("http://169.254.169.254/latest/meta-data")))
                .contains("not in wake-allowed-hosts");
        assertThat(loopback.refusal(URI.create("http://10.1.2.3/"))).contains("not in wake-allowed-hosts");
    }

    @Test
    void a_name_that_resolves_to_a_forbidden_address_is_refused_after_resolution() {
        WakeHosts allowIp = hosts(Set.of("192.0.2.10"), true);
        assertThat(allowIp.refusal(URI.create("http://hooks.example/wake"))).isNull();
        assertThat(allowIp.refusal(URI.create("http://rebound.example/wake"))).contains("resolves to 10.0.0.7");
        assertThat(allowIp.refusal(URI.create("http://unknown.example/wake"))).contains("does not resolve");
    }

    @Test
    void a_listed_name_passes_and_an_empty_list_sends_nothing() {
        assertThat(hosts(Set.of("hooks.example"), false).refusal(URI.create("https://HOOKS.example/w")))
                .isNull();
        assertThat(hosts(Set.of(), false).refusal(URI.create("http://127.0.0.1/w")))
                .contains("no wake-ups");
    }

    @Test
    void the_setting_parses_names_addresses_and_loopback() {
        WakeHosts parsed = WakeHosts.parse(" loopback , Hooks.Example, [::1] ");
        assertThat(parsed.refusal(URI.create("http://hooks.example/"))).isNull();
        assertThat(parsed.refusal(URI.create("http://[::1]:8080/"))).isNull();
        assertThat(WakeHosts.parse("").refusal(URI.create("http://localhost/"))).isNotNull();
    }

    @Test
    void the_waker_posts_only_to_allowed_hosts() throws Exception {
        java.util.concurrent.BlockingQueue<String> hits = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/wake", exchange -> {
            hits.add(exchange.getRequestURI().getQuery());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/wake?";
            java.time.Duration t = java.time.Duration.ofSeconds(5);
            new HttpWaker(t, java.time.Clock.systemUTC(), WakeHosts.parse("hooks.example"))
                    .send("a", URI.create(base + "refused"), "r");
            new HttpWaker(t, java.time.Clock.systemUTC(), WakeHosts.parse("loopback"))
                    .send("a", URI.create(base + "allowed"), "r");
            assertThat(hits.poll(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("allowed");
            assertThat(hits.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS))
                    .isNull();
        } finally {
            server.stop(0);
        }
    }
}
