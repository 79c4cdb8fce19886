package io.agenthub.server;

import io.agenthub.server.config.Pem;
import io.agenthub.server.dashboard.SecurityHeaders;
import io.agenthub.server.http.ProtocolErrors;
import io.agenthub.server.http.Router;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.security.KeyStore;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Executors;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Jetty 12 with request handling on virtual threads, so long-polls and event streams cost no platform thread. Given a
 * key store, it serves HTTPS only: HTTP/2 and HTTP/1.1 on one port, chosen by ALPN in the TLS handshake.
 */
final class HttpServer {
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;
    private final boolean secure;

    /** @param tls the certificate and key to serve HTTPS with, or null for plain HTTP */
    HttpServer(String bind, int port, Router router, KeyStore tls) {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("hub-http");
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // No per-connection header cache: its trie lookup of every header line cost 7% of the hub's CPU under the lease
        // benchmark (each agent's connection carries its own Authorization value), twice what parsing without it costs.
        http.setHeaderCacheSize(0);
        secure = tls != null;
        connector = secure ? tlsConnector(http, tls) : new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setAcceptQueueSize(4096);
        connector.setIdleTimeout(120_000);
        server.addConnector(connector);
        context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder api = new ServletHolder("api", router);
        api.setAsyncSupported(true);
        context.addServlet(api, "/api/*");
        context.getServletHandler().addServletWithMapping(api, "/hooks/*");
        // The same router answers the Prometheus scrape at its conventional path.
        context.getServletHandler().addServletWithMapping(api, "/metrics");
        // And the OpenFeature Remote Evaluation Protocol at the path its providers call.
        context.getServletHandler().addServletWithMapping(api, "/ofrep/*");
        // Errors Jetty raises itself (bad URIs, oversized headers, unmapped paths) are problem+json like the hub's own.
        ProtocolErrors errors = new ProtocolErrors();
        server.setErrorHandler(errors);
        context.setErrorHandler(errors);
        context.addFilter(SecurityHeaders.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        server.setHandler(context);
        server.setStopTimeout(3_000);
    }

    private ServerConnector tlsConnector(HttpConfiguration http, KeyStore tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls);
        ssl.setKeyStorePassword(new String(Pem.STORE_PASSWORD));
        // HTTP/2 forbids the ciphers on its block list; prefer the others.
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        // Agents may connect by IP address or by a name the certificate does not list first; the client checks names.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        HttpConnectionFactory http1 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(http);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        return new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, http2, http1);
    }

    boolean secure() {
        return secure;
    }

    /** Gives every request the deadline {@code budget} for its store calls together ({@link RequestBudget}). */
    void requestBudget(Duration budget) {
        if (!budget.isZero()) {
            context.addFilter(new FilterHolder(new RequestBudget(budget)), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
    }

    /** Mounts another servlet (MCP, dashboard) before start. */
    ServletContextHandler context() {
        return context;
    }

    /** Serves the dashboard at every path the API, metrics and MCP do not take. */
    void mountDashboard(HttpServlet assets) {
        context.addServlet(new ServletHolder("dashboard", assets), "/");
    }

    void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Cannot listen on " + connector.getHost() + ":" + connector.getPort() + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            // Stopping is best effort at shutdown.
        }
    }
}
