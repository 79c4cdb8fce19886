package io.agenthub.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A Java client for the hub's REST API: one typed call per route, grouped by domain ({@link #leases()},
 * {@link #messages()}, {@link #agents()}, ...), every refusal a {@link HubProblem}.
 *
 * <pre>{@code
 * HubClient hub = HubClient.builder()
 *         .urls("http://hub-a:7700", "http://hub-b:7700")
 *         .token(System.getenv("HUB_TOKEN"))
 *         .build();
 * try (HubLease lease = hub.leases().acquire("src/app.ts", Duration.ofMinutes(10))) {
 *     hub.messages().post("general", "editing src/app.ts");
 * }
 * }</pre>
 *
 * <p>Several URLs (nodes of one hub sharing Redis, or a hub behind several addresses) give fail-over: see
 * {@link Builder#urls}. Instances are thread-safe and cheap to share; {@link #withToken} makes one for another
 * identity over the same connections.
 */
public final class HubClient {
    private final Transport transport;
    private final Leases leases;
    private final Messages messages;
    private final Agents agents;
    private final Checkpoints checkpoints;
    private final Handoffs handoffs;
    private final Memories memories;
    private final Usage usage;
    private final Errors errors;
    private final Ops ops;
    private final Admin admin;
    private final Tasks tasks;
    private final Rollouts rollouts;
    private final Hooks hooks;
    private final Mcp mcp;
    private final Drills drills;
    private final double renewFraction;

    private HubClient(Transport transport, double renewFraction) {
        this.transport = transport;
        this.renewFraction = renewFraction;
        this.leases = new Leases(transport, renewFraction);
        this.messages = new Messages(transport);
        this.agents = new Agents(transport);
        this.checkpoints = new Checkpoints(transport);
        this.handoffs = new Handoffs(transport);
        this.memories = new Memories(transport);
        this.usage = new Usage(transport);
        this.errors = new Errors(transport);
        this.ops = new Ops(transport);
        this.admin = new Admin(transport);
        this.tasks = new Tasks(transport);
        this.rollouts = new Rollouts(transport);
        this.hooks = new Hooks(transport);
        this.mcp = new Mcp(transport);
        this.drills = new Drills(transport);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same hub and connections under another bearer token (e.g. an agent's, after {@link Agents#enroll}). */
    public HubClient withToken(String token) {
        return new HubClient(transport.withToken(token), renewFraction);
    }

    /** The hub URLs in fail-over order. */
    public List<URI> urls() {
        return transport.urls();
    }

    public Leases leases() {
        return leases;
    }

    public Messages messages() {
        return messages;
    }

    public Agents agents() {
        return agents;
    }

    public Checkpoints checkpoints() {
        return checkpoints;
    }

    public Handoffs handoffs() {
        return handoffs;
    }

    public Memories memories() {
        return memories;
    }

    public Usage usage() {
        return usage;
    }

    public Errors errors() {
        return errors;
    }

    /** Health, status, tiers, alerts, traces, stalls, metrics, self-test, hot-start and digest. */
    public Ops ops() {
        return ops;
    }

    public Admin admin() {
        return admin;
    }

    /** The work queue. */
    public Tasks tasks() {
        return tasks;
    }

    /** Rollouts of agent versions and feature flags. */
    public Rollouts rollouts() {
        return rollouts;
    }

    /** Claude Code's hook events, handled by the hub ({@code /hooks/claude/{event}}). */
    public Hooks hooks() {
        return hooks;
    }

    /** The MCP endpoint, for relaying JSON-RPC messages as they are. */
    public Mcp mcp() {
        return mcp;
    }

    /** The coordination drill: run one, read the history. */
    public Drills drills() {
        return drills;
    }

    /** Settings of a {@link HubClient}; only {@link #urls} is required. */
    public static final class Builder {
        private final List<URI> urls = new ArrayList<>();
        private String token;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private double renewFraction = 1.0 / 3;
        private HttpClient http;
        private boolean oneShot;

        private Builder() {}

        /**
         * The hub's base URLs, such as {@code http://127.0.0.1:7700}. Each call starts at the URL that answered last and
         * moves to the next when a connection cannot be made or a hub answers 503; a GET also moves on when the
         * connection breaks mid-way, other calls do not (the hub may have applied them) and fail with
         * {@link HubProblem.Unreachable}. When every URL fails, the last 503 or {@link HubProblem.Unreachable} is
         * thrown.
         */
        public Builder urls(String... urls) {
            for (String u : urls) {
                this.urls.add(URI.create(Objects.requireNonNull(u, "url")));
            }
            return this;
        }

        public Builder urls(List<URI> urls) {
            this.urls.addAll(urls);
            return this;
        }

        /** The bearer token: an agent's, a viewer's or the admin token. Null for public calls only. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** How long to wait for a connection to one URL before trying the next (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requirePositive(timeout, "connectTimeout");
            return this;
        }

        /** How long to wait for an answer (default 30 s); long-polls add their wait to it. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = requirePositive(timeout, "requestTimeout");
            return this;
        }

        /** The share of a lease's TTL after which {@link HubLease} renews it (default 1/3; between 0.05 and 0.9). */
        public Builder renewFraction(double fraction) {
            if (!(fraction >= 0.05 && fraction <= 0.9)) {
                throw new IllegalArgumentException("renewFraction must be between 0.05 and 0.9; got " + fraction);
            }
            this.renewFraction = fraction;
            return this;
        }

        /**
         * For a process that makes a call or two and exits (a command hook): calls go over
         * {@link java.net.HttpURLConnection}, which starts in a fraction of the time {@link HttpClient} needs (no
         * selector thread; no trust store read for http URLs). Event streams, streamed exports and PATCH calls are
         * not available; fail-over and problem mapping are as usual.
         */
        public Builder oneShot() {
            this.oneShot = true;
            return this;
        }

        /** Uses this HTTP client instead of a new one (its connect timeout then applies). */
        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public HubClient build() {
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("Give at least one hub URL, e.g. http://127.0.0.1:7700.");
            }
            for (URI u : urls) {
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                    throw new IllegalArgumentException("Hub URLs must be http or https; got " + u + ".");
                }
            }
            if (oneShot && http != null) {
                throw new IllegalArgumentException("oneShot() sends without an HttpClient; give one or the other.");
            }
            HttpClient client = oneShot
                    ? null
                    : http != null
                            ? http
                            : HttpClient.newBuilder()
                                    .connectTimeout(connectTimeout)
                                    .followRedirects(HttpClient.Redirect.NEVER)
                                    .build();
            return new HubClient(new Transport(urls, token, client, connectTimeout, requestTimeout), renewFraction);
        }

        private static Duration requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive.");
            }
            return d;
        }
    }
}
