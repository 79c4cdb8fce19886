package io.agenthub.server;

import io.agenthub.server.wire.JsonCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * A simulated agent process for the chaos suite, killed with SIGKILL at random moments. Arguments: hub URL, agent
 * token, lease TTL in seconds, task claim TTL in seconds. It prints its hot-start once ({@code HOTSTART} and the
 * Markdown on one line), then loops: claims a task, takes the lease {@code work/<task>} (waiting while another holder
 * has it, renewing its claim meanwhile), saves a checkpoint naming the task (then says WORKING), works in steps of 150 ms (a checkpoint at
 * each), completes the task and releases the lease. It heartbeats every 500 ms on a thread of its own. Each step is a
 * line on stdout ({@code WORKING id lease-token claim-token}, {@code DONE id}) that the test reads.
 */
public final class ChaosAgent {
    private static final int STEPS = 8;

    private ChaosAgent() {}

    public static void main(String[] args) throws Exception {
        String hub = args[0];
        String token = args[1];
        long leaseTtl = Long.parseLong(args[2]);
        long claimTtl = Long.parseLong(args[3]);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    call(http, hub, token, "POST", "/api/heartbeat", "{\"status\":\"busy\"}");
                    Thread.sleep(500);
                } catch (Exception e) {
                    // Keep beating.
                }
            }
        });
        HttpResponse<String> hot = call(http, hub, token, "GET", "/api/hot-start?format=markdown", null);
        say("HOTSTART " + hot.body().replace('\n', ' '));
        while (true) {
            HttpResponse<String> claim =
                    call(http, hub, token, "POST", "/api/tasks/claim", "{\"ttlSeconds\":" + claimTtl + "}");
            if (claim.statusCode() != 200) {
                Thread.sleep(200);
                continue;
            }
            JsonNode c = JsonCodec.MAPPER.readTree(claim.body());
            String id = c.path("id").asString();
            long claimToken = c.path("token").asLong();
            String resource = "work/" + id;
            long leaseToken = 0;
            while (leaseToken == 0) {
                HttpResponse<String> lease = call(
                        http,
                        hub,
                        token,
                        "POST",
                        "/api/leases",
                        "{\"resource\":\"" + resource + "\",\"ttlSeconds\":" + leaseTtl + "}");
                if (lease.statusCode() == 201 || lease.statusCode() == 200) {
                    leaseToken = JsonCodec.MAPPER
                            .readTree(lease.body())
                            .path("token")
                            .asLong();
                } else {
                    call(
                            http,
                            hub,
                            token,
                            "POST",
                            "/api/tasks/" + id + "/renew",
                            "{\"token\":" + claimToken + ",\"ttlSeconds\":" + claimTtl + "}");
                    Thread.sleep(300);
                }
            }
            for (int step = 1; step <= STEPS; step++) {
                call(
                        http,
                        hub,
                        token,
                        "POST",
                        "/api/checkpoints",
                        "{\"currentTask\":\"" + id + "\",\"progress\":\"" + id + " step " + step + " of " + STEPS
                                + "\",\"pendingWork\":[\"finish " + id + "\"],\"filesTouched\":[\"" + resource
                                + "\"]}");
                if (step == 1) {
                    // Only now is the task in a checkpoint that a handoff can carry.
                    say("WORKING " + id + " " + leaseToken + " " + claimToken);
                }
                Thread.sleep(150);
            }
            HttpResponse<String> done = call(
                    http,
                    hub,
                    token,
                    "POST",
                    "/api/tasks/" + id + "/complete",
                    "{\"token\":" + claimToken + ",\"result\":\"done\"}");
            say((done.statusCode() == 200 ? "DONE " : "LOST ") + id + " " + done.statusCode());
            call(
                    http,
                    hub,
                    token,
                    "POST",
                    "/api/leases/release",
                    "{\"resource\":\"" + resource + "\",\"token\":" + leaseToken + "}");
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static HttpResponse<String> call(
            HttpClient http, String hub, String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub + path))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (json == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
