package io.agenthub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The simulated agents of one run, created on first use and shared by the workloads that follow. Agents are created
 * with the admin token ({@code POST /api/agents}), or enrolled with a join key ({@code POST /api/agents/enroll}); an
 * agent that already exists gets a fresh token instead ({@code POST /api/agents/{id}/tokens}, admin only). Against a
 * server without authentication ({@link Api#ORIGINAL}) agents are only ids, with no token and nothing to create.
 */
final class Roster {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PARALLEL = 16;

    private final HubHttp http;
    private final String adminToken;
    private final String joinKey;
    private final String prefix;
    private final List<SimAgent> agents = new ArrayList<>();

    /**
     * @param adminToken used to create agents unless {@code joinKey} is given
     * @param joinKey when not null, agents enrol themselves with it
     * @param prefix agent ids are {@code prefix-0}, {@code prefix-1}, ...
     */
    Roster(HubHttp http, String adminToken, String joinKey, String prefix) {
        this.http = http;
        this.adminToken = adminToken;
        this.joinKey = joinKey;
        this.prefix = prefix;
    }

    /** Agents that are only ids ({@code prefix-0}, ...), for a server without authentication. */
    static Roster unauthenticated(String prefix) {
        return new Roster(null, null, null, prefix);
    }

    /** The first {@code n} agents, creating the missing ones ({@value #PARALLEL} at a time). */
    synchronized List<SimAgent> take(int n) throws InterruptedException {
        if (http == null) {
            for (int i = agents.size(); i < n; i++) {
                agents.add(new SimAgent(i, prefix + "-" + i, null));
            }
        } else if (agents.size() < n) {
            long started = System.nanoTime();
            int from = agents.size();
            Semaphore slots = new Semaphore(PARALLEL);
            List<Future<SimAgent>> created = new ArrayList<>();
            try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = from; i < n; i++) {
                    int index = i;
                    slots.acquire();
                    created.add(vt.submit(() -> {
                        try {
                            return create(index);
                        } finally {
                            slots.release();
                        }
                    }));
                }
            }
            for (Future<SimAgent> f : created) {
                try {
                    agents.add(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                }
            }
            System.err.printf(
                    "Created %d simulated agents in %.1f s.%n", n - from, (System.nanoTime() - started) / 1e9);
        }
        return List.copyOf(agents.subList(0, n));
    }

    private SimAgent create(int index) throws InterruptedException {
        String id = prefix + "-" + index;
        Map<String, Object> body = Map.of("id", id, "name", "Load bench agent " + index);
        HubHttp.Request request = joinKey != null
                ? http.post(
                        "/api/agents/enroll",
                        null,
                        Map.of("joinKey", joinKey, "id", id, "name", body.get("name")),
                        TIMEOUT)
                : http.post("/api/agents", adminToken, body, TIMEOUT);
        Response r = http.send(index, request);
        if (r.is(409) && joinKey == null) {
            r = http.send(index, http.post("/api/agents/" + id + "/tokens", adminToken, Map.of(), TIMEOUT));
        }
        String token = r.is(201) ? r.json().path("token").asString("") : "";
        if (token.isEmpty()) {
            throw new IllegalStateException("Cannot create the simulated agent " + id + ": " + r.describe()
                    + (r.is(401) || r.is(403) ? ". Check the admin token (--token or HUB_ADMIN_TOKEN)." : "."));
        }
        return new SimAgent(index, id, token);
    }
}
