package io.agenthub.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A minimal agent process for the chaos test: it claims its work, saves a checkpoint, says READY on stdout and then
 * heartbeats until it is killed. Arguments: hub URL, agent token.
 */
public final class ScriptedAgent {
    private ScriptedAgent() {}

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String token = args[1];
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        post(http, hub, token, "/api/heartbeat", "{\"status\":\"busy\",\"currentTask\":\"port the billing API\"}");
        post(http, hub, token, "/api/leases", "{\"resource\":\"src/billing/\",\"ttlSeconds\":600}");
        post(http, hub, token, "/api/leases", "{\"resource\":\"task:billing-v2\",\"ttlSeconds\":600}");
        post(
                http,
                hub,
                token,
                "/api/checkpoints",
                "{\"currentTask\":\"port the billing API\",\"progress\":\"invoices done\","
                        + "\"pendingWork\":[\"port refunds\"],\"filesTouched\":[\"src/billing/invoice.ts\"]}");
        System.out.println("READY");
        System.out.flush();
        while (true) {
            post(http, hub, token, "/api/heartbeat", "{}");
            Thread.sleep(200);
        }
    }

    private static void post(HttpClient http, String hub, String token, String path, String json) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(hub + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }
}
