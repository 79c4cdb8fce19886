package io.agenthub.server;

import io.agenthub.server.http.ProtocolErrors;
import io.agenthub.server.http.Router;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty 12 with request handling on virtual threads, so long-polls and event streams cost no platform thread. */
final class HttpServer {
    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    HttpServer(String bind, int port, Router router) {
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
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
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
        // The same router answers the Prometheus scrape at its conventional path.
        context.getServletHandler().addServletWithMapping(api, "/metrics");
        // And the OpenFeature Remote Evaluation Protocol at the path its providers call.
        context.getServletHandler().addServletWithMapping(api, "/ofrep/*");
        // Errors Jetty raises itself (bad URIs, oversized headers, unmapped paths) are problem+json like the hub's own.
        ProtocolErrors errors = new ProtocolErrors();
        server.setErrorHandler(errors);
        context.setErrorHandler(errors);
        server.setHandler(context);
        server.setStopTimeout(3_000);
    }

    /** Mounts another servlet (MCP, dashboard) before start. */
    ServletContextHandler context() {
        return context;
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
