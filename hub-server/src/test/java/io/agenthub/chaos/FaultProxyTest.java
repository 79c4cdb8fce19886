package io.agenthub.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fault proxy in front of a loopback echo server. */
class FaultProxyTest {
    private ServerSocket echo;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        } catch (IOException e) {
                            // Closed.
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = FaultProxy.start("127.0.0.1", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private long roundTripMillis(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        long started = System.nanoTime();
        out.write('x');
        out.flush();
        assertThat(in.read()).isEqualTo('x');
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void forwards_adds_latency_both_ways_and_heals() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            assertThat(roundTripMillis(s)).isLessThan(500);
            proxy.latency(Duration.ofMillis(100), Duration.ZERO);
            assertThat(roundTripMillis(s)).isBetween(195L, 1500L);
            proxy.heal();
            // Chunks already scheduled are due; new ones are not delayed.
            assertThat(roundTripMillis(s)).isLessThan(500);
        }
    }

    @Test
    void a_cut_forwards_nothing_and_the_heal_resets_the_connections_caught_in_it() throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            roundTripMillis(s);
            proxy.cut();
            s.setSoTimeout(300);
            s.getOutputStream().write('y');
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.heal();
            s.setSoTimeout(2000);
            assertThatThrownBy(() -> {
                        int r = s.getInputStream().read();
                        if (r < 0) {
                            throw new IOException("closed");
                        }
                    })
                    .isInstanceOf(IOException.class);
        }
        try (Socket fresh = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            assertThat(roundTripMillis(fresh)).isLessThan(500);
        }
        assertThat(proxy.resets()).isPositive();
    }

    @Test
    void only_fronts_loopback() {
        assertThatThrownBy(() -> FaultProxy.start("192.0.2.1", 6379))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }
}
