package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.wire.JsonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Generated malformed requests to every route of the hub's route table and to {@code /mcp}: broken JSON, wrong types,
 * huge and deeply nested bodies, unicode and NUL, out-of-range numbers, bad headers (content type, charset, length,
 * transfer encoding, authorization), wrong and unknown methods, weird path parameters and query values, and JSON-RPC
 * oddities. No answer may be a 5xx or carry a stack trace or an exception's name; every error is problem+json (on
 * {@code /mcp}, problem+json or a JSON-RPC error); the hub is healthy afterwards.
 *
 * <p>The routes come from {@link Hub#routes()}, the body fields from the routes' body records and the query parameter
 * names from the route sources, so a new route, field or parameter is fuzzed without changing this test. Every request
 * is generated from the seed and its own index: a failure prints both, and {@code -Dfuzz.seed=S} repeats the run
 * ({@code -Dfuzz.requests=N} changes its length). See docs/security.md.
 */
class FuzzTest {
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_500);
    private static final int LIMITED_REQUESTS = Integer.getInteger("fuzz.limited-requests", 500);
    private static final int THREADS = 6;
    private static final int MAX_BODY = 64 * 1024;
    private static final String ACCEPT_MCP = "application/json, text/event-stream";

    /** A stack frame, a source position, a JVM or library package name, or an exception or error class name. */
    static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s*at [\\w$.]+\\(|\\.java:\\d+|\\b(java|javax|jakarta"
                    + "|sun|tools\\.jackson|com\\.fasterxml|org\\.eclipse|org\\.sqlite|io\\.lettuce|io\\.agenthub"
                    + "|io\\.modelcontextprotocol|reactor)\\.[a-z]\\w*\\.|\\b\\w*(Exception|Throwable)\\b|\\b[A-Z]\\w*Error\\b");

    private static final List<String> WEIRD_STRINGS = List.of(
            "",
            " ",
            "\u0000",
            "a\u0000b",
            "\u202Egnp.exe",
            "zero\u200Bwidth",
            "\u001B[31mred\u001B[0m",
            "\uD83D\uDCA9",
            "\uFEFFbom",
            "\t\n\r",
            "日本語テキスト",
            "../../etc/passwd",
            "..\\..\\windows",
            "<script>alert(1)</script>",
            "' OR '1'='1' --",
            "%s%n%x",
            "${jndi:ldap://127.0.0.1/x}",
            "null",
            "true",
            "-1",
            "\\",
            "\"",
            "{\"nested\":\"json\"}",
            "a,b,,c",
            "hub_0000000000000000000000000000000",
            "\u0085\u2028\u2029");
    private static final List<String> NUMBERS = List.of(
            "0",
            "1",
            "-1",
            "60",
            "2147483647",
            "2147483648",
            "-2147483649",
            "4294967297",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1e400",
            "-1e400",
            "1e-400",
            "1e999999999",
            "1e9999999",
            "1e-9999999",
            "1.5",
            "-0",
            "0.0",
            "1E2",
            "-0.000001");
    private static final List<String> BROKEN_JSON = List.of(
            "{",
            "}",
            "[",
            "{\"a\":}",
            "{\"a\" 1}",
            "{a:1}",
            "{'a':'b'}",
            "{\"a\":1,}",
            "[1,2,]",
            "\"unterminated",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\x41\"}",
            "{\"a\":01}",
            "{\"a\":.5}",
            "{\"a\":+1}",
            "{\"a\":0x10}",
            "{\"a\":NaN}",
            "{\"a\":Infinity}",
            "{\"a\":-}",
            "nul",
            "tru",
            "// comment\n{}",
            "/* c */ {}",
            "{}{}",
            "{} trailing",
            "\uFEFF{}",
            "{\"a\":\"\u0001raw control\"}",
            "\u0000",
            "{\"\":1}",
            "{\"a\":1}\u0000");
    private static final List<String> TOP_LEVEL = List.of("null", "[]", "[{}]", "5", "\"s\"", "true", "{}", "-1e400");
    private static final List<String> WEIRD_PATH = List.of(
            "%00",
            "..",
            "%2e%2e",
            "%2F",
            "a%2Fb",
            "%ZZ",
            "%",
            "%F0%9F%92%A9",
            "%C3%28",
            "%C0%AF",
            "%EF%BF%BF",
            "-1",
            "0",
            "99999999999999999999",
            "4294967297",
            "null",
            "%7Bid%7D",
            ";a=b",
            "%u0041",
            "%20",
            "a%20b",
            "%0D%0AX-Injected:%201",
            "%E2%80%AE",
            "%27%20OR%201%3D1",
            "~",
            "*");
    private static final List<String> CONTENT_TYPES = List.of(
            "text/plain",
            "application/json; charset=bogus",
            "application/json; charset=utf-16",
            "application/json; charset=UTF-32BE",
            "application/json; charset=iso-8859-1",
            "application/json; charset=\"utf-8\"",
            "application/json; charset=",
            "application/json;;;",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/problem+json",
            "*/*",
            "",
            "application/json\u0000",
            "application/" + "j".repeat(3000),
            "application/json; charset=utf-8; charset=bogus");
    private static final List<String> METHODS =
            List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "FOO", "get", "PROPFIND");
    private static final List<String> MCP_METHODS = List.of(
            "initialize",
            "ping",
            "tools/list",
            "tools/call",
            "tools/call",
            "tools/call",
            "resources/list",
            "resources/read",
            "resources/templates/list",
            "prompts/list",
            "prompts/get",
            "completion/complete",
            "logging/setLevel",
            "notifications/initialized",
            "notifications/cancelled",
            "sampling/createMessage",
            "roots/list",
            "",
            "unknown/method",
            "rpc.discover");

    /** One generated request, as bytes on the wire. */
    record Fuzzed(int index, String route, byte[] wire, boolean mayDrop, boolean halfClose, boolean head, boolean mcp) {
        String shown() {
            String s = new String(wire, StandardCharsets.ISO_8859_1);
            s = s.length() > 400 ? s.substring(0, 400) + "...(" + wire.length + " bytes)" : s;
            return s.replace("\r\n", "\\r\\n").replace("\u0000", "\\0");
        }
    }

    /** What the generator knows about the hub: routes, body fields, query names, tools, tokens. */
    record Target(
            List<String> routes,
            Map<String, List<Class<?>>> fields,
            List<String> queryNames,
            Map<String, Map<String, String>> tools,
            List<String> pathValues,
            Map<String, String> tokens,
            String authority) {}

    @Test
    void generated_malformed_requests_to_every_route_and_mcp_get_no_5xx_no_stack_trace_and_problem_json()
            throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        Stream.of("anonymous", "chat", "errors", "mcp", "memories", "reads", "writes")
                .forEach(kind -> settings.put("rate-limit-" + kind, "0"));
        settings.put("max-body-bytes", Integer.toString(MAX_BODY));
        try (TestHub hub = new TestHub(settings, Clock.systemUTC())) {
            run(hub, REQUESTS, false);
        }
    }

    @Test
    void generated_malformed_requests_with_the_rate_limits_on_get_429s_and_no_5xx() throws Exception {
        // The limits on, set low enough that a short run meets every kind of them (the defaults suit honest agents).
        Map<String, String> settings = new LinkedHashMap<>();
        Stream.of("chat", "errors", "mcp", "memories", "writes")
                .forEach(kind -> settings.put("rate-limit-" + kind, "60,10"));
        settings.put("rate-limit-reads", "120,20");
        settings.put("rate-limit-anonymous", "30,5");
        settings.put("max-body-bytes", Integer.toString(MAX_BODY));
        try (TestHub hub = new TestHub(settings, Clock.systemUTC())) {
            Map<Integer, LongAdder> statuses = run(hub, LIMITED_REQUESTS, true);
            assertThat(statuses).as("the limits were met").containsKey(429);
        }
    }

    private static Map<Integer, LongAdder> run(TestHub hub, int requests, boolean limited) throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        String checker = hub.agent("checker");
        Target target = target(hub);
        URI base = URI.create(hub.url());
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> perRoute = new ConcurrentHashMap<>();
        Map<String, LongAdder> cost = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger dropped = new AtomicInteger();
        java.util.concurrent.ConcurrentSkipListSet<long[]> slowest = new java.util.concurrent.ConcurrentSkipListSet<>(
                (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        System.out.printf(
                "fuzz: seed %d, %d requests%s (-Dfuzz.seed=%d repeats the run)%n",
                seed, requests, limited ? " with low rate limits on" : "", seed);
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        Fuzzed f = generate(new Random(seed * 1_000_003L + i), i, target);
                        perRoute.computeIfAbsent(f.route(), k -> new LongAdder())
                                .increment();
                        RawHttp.Reply reply;
                        long sent = System.nanoTime();
                        try {
                            reply = RawHttp.exchange(base, f.wire(), f.halfClose(), 20_000);
                        } catch (IOException e) {
                            failures.add(describe(seed, f, "no usable reply: " + e));
                            continue;
                        } finally {
                            cost.computeIfAbsent(f.route(), k -> new LongAdder())
                                    .add(System.nanoTime() - sent);
                            slowest.add(new long[] {System.nanoTime() - sent, f.index()});
                            if (slowest.size() > 5) {
                                slowest.pollFirst();
                            }
                        }
                        if (reply == null) {
                            dropped.incrementAndGet();
                        } else {
                            statuses.computeIfAbsent(reply.status(), s -> new LongAdder())
                                    .increment();
                        }
                        String problem = check(f, reply);
                        if (problem != null) {
                            failures.add(describe(seed, f, problem));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
                "fuzz: %d requests in %.1f s (%.0f/s) over %d routes and /mcp; statuses %s; %d closed without a reply"
                        + " (allowed only for requests that lie about their body)%n",
                requests, seconds, requests / seconds, target.routes().size(), new TreeMap<>(statuses), dropped.get());
        System.out.println("fuzz: most time spent on "
                + cost.entrySet().stream()
                        .sorted((x, y) ->
                                Long.compare(y.getValue().sum(), x.getValue().sum()))
                        .limit(6)
                        .map(e -> e.getKey() + " " + e.getValue().sum() / 1_000_000 + " ms/"
                                + perRoute.get(e.getKey()).sum())
                        .toList());
        for (long[] slow : slowest.descendingSet()) {
            Fuzzed f = generate(new Random(seed * 1_000_003L + slow[1]), (int) slow[1], target);
            String shown = f.shown();
            System.out.printf(
                    "fuzz: slow: %d ms for #%d %s: %s%n",
                    slow[0] / 1_000_000, slow[1], f.route(), shown.substring(0, Math.min(160, shown.length())));
        }
        assertThat(failures)
                .as(
                        "fuzz failures (seed %d; rerun with -Dfuzz.seed=%d), first ones:%n%s",
                        seed, seed, String.join("\n", failures.subList(0, Math.min(15, failures.size()))))
                .isEmpty();
        TreeSet<String> unfuzzed = new TreeSet<>(target.routes());
        unfuzzed.removeAll(perRoute.keySet());
        assertThat(unfuzzed).as("routes no request was generated for").isEmpty();

        // Healthy afterwards: health answers, and an honest agent takes a lease and lists the tools.
        TestHub.Response health = hub.get(null, "/api/health");
        assertThat(health.status()).as(health.raw().body()).isEqualTo(200);
        TestHub.Response lease =
                hub.post(checker, "/api/leases", Map.of("resource", "after-the-fuzz", "ttlSeconds", 60));
        assertThat(lease.status()).as(lease.raw().body()).isBetween(200, 201);
        assertThat(mcp(hub, checker, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}")
                        .path("result")
                        .path("tools")
                        .size())
                .isPositive();

        // The safety report names what the fuzz did: the malformed and missing credentials it sent.
        CliRun report = CliRun.of("safety-report", "--url", hub.url(), "--token", TestHub.ADMIN, "--json");
        assertThat(report.code()).as(report.err()).isZero();
        JsonNode events =
                io.agenthub.server.wire.JsonCodec.MAPPER.readTree(report.out()).path("events");
        if (limited) {
            // Past the client address's anonymous limit a missing or guessed token is answered 429 and counted as
            // rate limited, so which of the three a run gets depends on the order its requests arrived in.
            assertThat(events.path("rate_limited").asLong())
                    .as("rate-limited calls in the safety report: %s", events)
                    .isPositive();
            assertThat(events.path("unauthenticated").asLong()
                            + events.path("bad_token").asLong())
                    .as("calls without a valid token in the safety report: %s", events)
                    .isPositive();
        } else {
            assertThat(events.path("unauthenticated").asLong())
                    .as("unauthenticated calls in the safety report: %s", events)
                    .isPositive();
            assertThat(events.path("bad_token").asLong())
                    .as("bad tokens in the safety report: %s", events)
                    .isPositive();
        }
        return statuses;
    }

    private static String describe(long seed, Fuzzed f, String problem) {
        return "seed " + seed + " request #" + f.index() + " (" + f.route() + "): " + problem + "\n    sent: "
                + f.shown();
    }

    /** Null when the reply is acceptable, else what is wrong with it. */
    static String check(Fuzzed f, RawHttp.Reply reply) {
        if (reply == null) {
            return f.mayDrop() ? null : "the hub closed the connection without a reply";
        }
        String text = reply.text();
        if (reply.status() >= 500) {
            return "status " + reply.status() + ": " + shorten(text);
        }
        Matcher trace = STACK_TRACE.matcher(text);
        if (trace.find()) {
            return "the reply names '" + trace.group() + "': " + shorten(text);
        }
        if (reply.status() < 400 || reply.streamed()) {
            return null;
        }
        String type = reply.header("content-type");
        if (type == null) {
            return "error " + reply.status() + " without a content type";
        }
        if (type.startsWith("application/problem+json")) {
            if (f.head()) {
                return null;
            }
            try {
                JsonNode json = JsonCodec.MAPPER.readTree(text);
                if (json.path("status").asInt() != reply.status()
                        || json.path("detail").asString().isBlank()) {
                    return "problem without the status or a detail: " + shorten(text);
                }
                return null;
            } catch (RuntimeException e) {
                return "problem+json that does not parse: " + shorten(text);
            }
        }
        if (f.route().contains(" /ofrep/") && type.startsWith("application/json")) {
            // OpenFeature's remote evaluation protocol has its own error body (errorCode, errorDetails).
            return text.contains("\"errorCode\"") ? null : "an OFREP error without errorCode: " + shorten(text);
        }
        if (f.mcp() && type.startsWith("application/json")) {
            try {
                JsonNode json = JsonCodec.MAPPER.readTree(text);
                return json.path("error").isObject()
                                && json.path("error").path("code").isNumber()
                        ? null
                        : "a JSON error on /mcp that is no JSON-RPC error: " + shorten(text);
            } catch (RuntimeException e) {
                return "JSON that does not parse: " + shorten(text);
            }
        }
        return "error " + reply.status() + " as " + type + ", not problem+json: " + shorten(text);
    }

    private static String shorten(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ---------------------------------------------------------------------------------------------- what to fuzz

    private static Target target(TestHub hub) throws IOException {
        String fuzzer = hub.agent("fuzzer");
        String victim = hub.agent("victim");
        String viewer = hub.viewer("watcher");
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("agent", fuzzer);
        tokens.put("other", victim);
        tokens.put("admin", TestHub.ADMIN);
        tokens.put("viewer", viewer);
        List<String> routes = new ArrayList<>(hub.hub().routes().keySet());
        // Seed a few records so that path parameters sometimes name something real.
        List<String> values = new ArrayList<>(List.of("victim", "watcher", "nobody", "pool-a", "main", "flag-x"));
        addId(values, hub.post(victim, "/api/memories", Map.of("category", "decision", "content", "seed memory")));
        addId(values, hub.post(victim, "/api/tasks", Map.of("title", "seed task", "body", "do it")));
        addId(values, hub.post(victim, "/api/handoffs", Map.of("title", "seed handoff", "body", "take it")));
        addId(values, hub.post(victim, "/api/errors", Map.of("message", "seed error", "severity", "low")));
        return new Target(
                routes,
                bodyFields(),
                queryNames(),
                tools(hub, fuzzer),
                values,
                tokens,
                URI.create(hub.url()).getAuthority());
    }

    private static void addId(List<String> values, TestHub.Response created) {
        String id = created.json().path("id").asString("");
        if (!id.isEmpty()) {
            values.add(id);
        }
    }

    /** Every field of every request-body record of the HTTP routes, with its type. */
    private static Map<String, List<Class<?>>> bodyFields() throws IOException {
        Map<String, List<Class<?>>> fields = new TreeMap<>();
        Path classes;
        try {
            classes = Path.of(io.agenthub.server.http.Router.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .resolve("io/agenthub/server/http");
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.list(classes)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith("Body.class") || !name.contains("$")) {
                    continue;
                }
                Class<?> type;
                try {
                    type = Class.forName("io.agenthub.server.http." + name.substring(0, name.length() - 6));
                } catch (ClassNotFoundException e) {
                    continue;
                }
                if (type.isRecord()) {
                    for (RecordComponent c : type.getRecordComponents()) {
                        fields.computeIfAbsent(c.getName(), k -> new ArrayList<>())
                                .add(c.getType());
                    }
                }
            }
        }
        assertThat(fields).as("request body fields found").hasSizeGreaterThan(20);
        return fields;
    }

    /** The query parameter names the routes read, from their sources. */
    private static List<String> queryNames() throws IOException {
        TreeSet<String> names = new TreeSet<>(List.of("limit", "since", "wait", "channel", "agent", "status"));
        Path sources = Path.of("src/main/java/io/agenthub/server/http");
        if (Files.isDirectory(sources)) {
            Pattern read = Pattern.compile("query(?:Int|Long|All)?\\(\"([\\w-]+)\"");
            try (Stream<Path> files = Files.list(sources)) {
                for (Path file : files.toList()) {
                    Matcher m = read.matcher(Files.readString(file));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** Every MCP tool with its arguments' JSON types, from tools/list. */
    private static Map<String, Map<String, String>> tools(TestHub hub, String token) {
        Map<String, Map<String, String>> tools = new TreeMap<>();
        JsonNode list = mcp(hub, token, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        for (JsonNode tool : list.path("result").path("tools")) {
            Map<String, String> args = new TreeMap<>();
            tool.path("inputSchema")
                    .path("properties")
                    .properties()
                    .forEach(e -> args.put(e.getKey(), e.getValue().path("type").asString("string")));
            tools.put(tool.path("name").asString(), args);
        }
        assertThat(tools).as("MCP tools").isNotEmpty();
        return tools;
    }

    private static JsonNode mcp(TestHub hub, String token, String message) {
        TestHub.Response r = hub.send(
                token,
                HttpRequest.newBuilder(URI.create(hub.url() + "/mcp"))
                        .header("Content-Type", "application/json")
                        .header("Accept", ACCEPT_MCP)
                        .POST(HttpRequest.BodyPublishers.ofString(message)));
        assertThat(r.status()).as(r.raw().body()).isEqualTo(200);
        return r.json();
    }

    // ---------------------------------------------------------------------------------------------- the generator

    /** A mutable request under construction. */
    private static final class Draft {
        String method;
        String path;
        String query = "";
        String version = "HTTP/1.1";
        final List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        String contentLength; // null: the body's length; "" : no header
        boolean chunked;
        boolean brokenChunks;
        boolean mayDrop;
        boolean halfClose;

        void header(String name, String value) {
            headers.add(new String[] {name, value});
        }

        byte[] wire() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes((method + " " + path + query + " " + version + "\r\n").getBytes(StandardCharsets.UTF_8));
            for (String[] h : headers) {
                out.writeBytes((h[0] + ": " + h[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (chunked) {
                out.writeBytes("Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (contentLength == null) {
                out.writeBytes(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } else if (!contentLength.isEmpty()) {
                out.writeBytes(("Content-Length: " + contentLength + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (chunked) {
                String size = brokenChunks ? "zz" : Integer.toHexString(body.length);
                out.writeBytes((size + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(body);
                out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            } else {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }
    }

    static Fuzzed generate(Random r, int index, Target t) {
        // The first requests take the routes in turn, so that even a short run reaches every one.
        boolean mcp = r.nextInt(100) < 15 && index >= t.routes().size();
        Draft d = new Draft();
        String route;
        d.header("Host", t.authority());
        if (mcp) {
            route = "/mcp";
            mcpRequest(r, d, t);
        } else {
            route = t.routes()
                    .get(
                            index < t.routes().size()
                                    ? index
                                    : r.nextInt(t.routes().size()));
            routeRequest(r, d, t, route);
        }
        mutateHeaders(r, d, t);
        if (r.nextInt(100) < 2) {
            d.version = pick(r, List.of("HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1.1 extra", "http/1.1", ""));
        }
        return new Fuzzed(index, route, d.wire(), d.mayDrop, d.halfClose, d.method.equals("HEAD"), mcp);
    }

    private static void routeRequest(Random r, Draft d, Target t, String route) {
        int space = route.indexOf(' ');
        String method = route.substring(0, space);
        d.method = r.nextInt(100) < 85 ? method : pick(r, METHODS);
        d.path = path(r, route.substring(space + 1), t);
        if (r.nextInt(100) < 35) {
            d.query = query(r, t);
        }
        if (route.equals("GET /api/tools-test") && !d.query.contains("action=")) {
            // Without an action it runs the whole self-test (seconds of scratch hubs): fuzz its parameters instead.
            d.query += (d.query.isEmpty() ? "?" : "&") + "action=" + pick(r, List.of("list", "results", "%00", "x"));
        }
        auth(r, d, t, route);
        d.header("Content-Type", "application/json");
        boolean hasBody = !d.method.equals("GET") && !d.method.equals("HEAD") || r.nextInt(100) < 10;
        if (hasBody) {
            d.body = body(r, d, t);
        }
    }

    private static String path(Random r, String template, Target t) {
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            int k = r.nextInt(100);
            if (k < 60) {
                value = URLEncoder.encode(pick(r, t.pathValues()), StandardCharsets.UTF_8);
            } else if (k < 90) {
                value = pick(r, WEIRD_PATH);
            } else if (k < 95) {
                value = URLEncoder.encode(pick(r, WEIRD_STRINGS), StandardCharsets.UTF_8);
            } else {
                value = "x".repeat(1 + r.nextInt(6000));
            }
            if (value.isEmpty()) {
                value = "%20";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String query(Random r, Target t) {
        int k = r.nextInt(100);
        if (k < 5) {
            return pick(r, List.of("?", "?&&&", "?=x", "?%ZZ=1", "?a=%", "?limit", "?\u00e9=1", "?a=b&a=c&a=d"));
        }
        StringBuilder q = new StringBuilder("?");
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String name = r.nextInt(10) == 0 ? "unknown" + i : pick(r, t.queryNames());
            String value = name.equals("wait")
                    // A valid wait would hold the request open; only invalid ones are sent.
                    ? pick(
                            r,
                            List.of(
                                    "-1",
                                    "NaN",
                                    "1e999999999",
                                    "1e9999999",
                                    "1e-9999999",
                                    "9223372036854775807",
                                    "abc"))
                    : r.nextBoolean() ? pick(r, NUMBERS) : pick(r, WEIRD_STRINGS);
            q.append(i == 0 ? "" : "&").append(name).append('=');
            q.append(r.nextInt(10) == 0 ? value.replace(" ", "%20") : URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    /** Admin calls that change the hub for every caller (new admin key, a forced tier) are fuzzed with other tokens. */
    private static void auth(Random r, Draft d, Target t, String route) {
        int k = r.nextInt(100);
        String token;
        if (k < 55) {
            token = t.tokens().get("agent");
        } else if (k < 75
                && !route.equals("POST /api/keys/rotate")
                && !route.equals("POST /api/tier")
                && !route.equals("POST /api/agents/{id}/disable")) {
            token = t.tokens().get("admin");
        } else if (k < 85) {
            token = t.tokens().get("viewer");
        } else if (k < 90) {
            return;
        } else {
            d.header("Authorization", badAuthorization(r, t.tokens().get("agent")));
            return;
        }
        d.header("Authorization", "Bearer " + token);
    }

    private static String badAuthorization(Random r, String token) {
        return pick(
                r,
                List.of(
                        "Bearer",
                        "Bearer ",
                        "bearer " + token,
                        "BEARER " + token,
                        "Bearer  " + token + " ",
                        "Basic dXNlcjpwYXNz",
                        "Bearer " + token + "x",
                        "Bearer " + token.substring(0, token.length() / 2),
                        "Bearer " + token + "\u0000",
                        "Token " + token,
                        "Bearer " + "A".repeat(5000),
                        "Bearer " + "\u00fc\u00f1\u00ee",
                        "Bearer hub_" + "0".repeat(40),
                        "Bearer " + token + ", Bearer " + token,
                        "Bearer null",
                        "Bearer " + TestHub.ADMIN.toUpperCase(java.util.Locale.ROOT)));
    }

    private static byte[] body(Random r, Draft d, Target t) {
        int k = r.nextInt(10);
        return switch (k) {
            case 0 -> new byte[0];
            case 1 -> utf8(r.nextBoolean() ? pick(r, BROKEN_JSON) : truncated(r, object(r, t, false)));
            case 2 -> utf8(object(r, t, true));
            case 3 -> utf8(object(r, t, false));
            case 4 -> huge(r, d);
            case 5 -> utf8(deep(r));
            case 6 -> unicode(r, t);
            case 7 -> utf8(pick(r, TOP_LEVEL));
            case 8 -> utf8(oddKeys(r, t));
            default -> utf8(object(r, t, r.nextBoolean()));
        };
    }

    private static String truncated(Random r, String json) {
        return json.length() < 2 ? json : json.substring(0, 1 + r.nextInt(json.length() - 1));
    }

    /** An object of some of the known body fields, with plausible values or values of the wrong type. */
    private static String object(Random r, Target t, boolean wrongTypes) {
        List<String> names = new ArrayList<>(t.fields().keySet());
        StringBuilder out = new StringBuilder("{");
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            String name = pick(r, names);
            Class<?> type = pick(r, t.fields().get(name));
            out.append(i == 0 ? "" : ",")
                    .append(JsonCodec.MAPPER.writeValueAsString(name))
                    .append(':');
            out.append(wrongTypes ? anyValue(r, 2) : value(r, type));
        }
        return out.append('}').toString();
    }

    /** A plausible value of a Java field type, often at the edge of its range. */
    private static String value(Random r, Class<?> type) {
        if (type == String.class) {
            return str(
                    r.nextBoolean()
                            ? pick(r, List.of("victim", "fuzzer", "main", "a", "src/x.java"))
                            : pick(r, WEIRD_STRINGS));
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return pick(r, NUMBERS);
        }
        if (type == Boolean.class || type == boolean.class) {
            return r.nextBoolean() ? "true" : "false";
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            String name = constants[r.nextInt(constants.length)].toString();
            return str(r.nextInt(4) == 0 ? name.toUpperCase(java.util.Locale.ROOT) + "x" : name);
        }
        if (List.class.isAssignableFrom(type)) {
            return "[" + str(pick(r, WEIRD_STRINGS)) + "," + str("java") + "]";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "{" + str(pick(r, List.of("team", "core", "pool", "wake-url", "", "\u0000"))) + ":"
                    + str(pick(r, List.of("true", "http://127.0.0.1:1/x", "web", "\u202E"))) + "}";
        }
        return anyValue(r, 2);
    }

    private static String anyValue(Random r, int depth) {
        int k = r.nextInt(depth > 0 ? 9 : 6);
        return switch (k) {
            case 0 -> "null";
            case 1 -> r.nextBoolean() ? "true" : "false";
            case 2, 3 -> pick(r, NUMBERS);
            case 4, 5 -> str(pick(r, WEIRD_STRINGS));
            case 6 -> "[" + anyValue(r, depth - 1) + "," + anyValue(r, depth - 1) + "]";
            case 7 -> "{" + str(pick(r, WEIRD_STRINGS)) + ":" + anyValue(r, depth - 1) + "}";
            default -> "[]";
        };
    }

    private static String str(String s) {
        return JsonCodec.MAPPER.writeValueAsString(s);
    }

    /** A body above the limit (413), or one just below it that is a long string or a long array. */
    private static byte[] huge(Random r, Draft d) {
        int k = r.nextInt(3);
        if (k == 0) {
            d.mayDrop = true; // the hub may answer 413 and close while the body is still on its way
            return utf8("{\"text\":\"" + "A".repeat(MAX_BODY + r.nextInt(3 * MAX_BODY)) + "\"}");
        }
        if (k == 1) {
            return utf8("{\"text\":\"" + "\u00e9".repeat(MAX_BODY / 2 - 20) + "\"}");
        }
        StringBuilder s = new StringBuilder("[");
        while (s.length() < MAX_BODY - 10) {
            s.append("1,");
        }
        return utf8(s.append("1]").toString());
    }

    private static String deep(Random r) {
        int depth = 500 + r.nextInt(MAX_BODY / 4 - 500);
        return switch (r.nextInt(3)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            default -> "{\"text\":" + "[".repeat(depth); // deep and unterminated
        };
    }

    /** Text with NUL, controls, surrogates escaped and raw, and bytes that are not UTF-8. */
    private static byte[] unicode(Random r, Target t) {
        String field = pick(r, new ArrayList<>(t.fields().keySet()));
        int k = r.nextInt(5);
        if (k == 0) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(utf8("{\"" + field + "\":\"a"));
            byte[][] invalid = {
                {(byte) 0xC3, 0x28},
                {(byte) 0xC0, (byte) 0xAF},
                {(byte) 0xFF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xE2, (byte) 0x82}
            };
            out.writeBytes(invalid[r.nextInt(invalid.length)]);
            out.writeBytes(utf8("\"}"));
            return out.toByteArray();
        }
        String text = switch (k) {
            case 1 -> "\\u0000\\ud800\\udfff\\ud83d";
            case 2 -> "\u0000\u0001\u001f\u007f";
            case 3 -> "\\u202e\\u200b\\u2066\\ufeff\\uffff";
            default -> new String(Character.toChars(0x10000 + r.nextInt(0xFFFF))) + "\u0301\u0301\u0301";
        };
        return utf8("{\"" + field + "\":\"" + text + "\",\"" + text + "\":1}");
    }

    private static String oddKeys(Random r, Target t) {
        String field = pick(r, new ArrayList<>(t.fields().keySet()));
        return pick(
                r,
                List.of(
                        "{\"" + field + "\":\"a\",\"" + field + "\":5}",
                        "{\"__proto__\":{\"admin\":true},\"constructor\":{}}",
                        "{\"" + "k".repeat(5000) + "\":1}",
                        "{\"" + field.toUpperCase(java.util.Locale.ROOT) + "\":\"x\"}",
                        "{\"agent\":\"victim\",\"agentId\":\"victim\",\"from\":\"victim\",\"holder\":\"victim\"}",
                        "{\"role\":\"admin\",\"id\":\"fuzzer\"}"));
    }

    private static void mutateHeaders(Random r, Draft d, Target t) {
        int mutations = r.nextInt(100) < 25 ? 1 + r.nextInt(2) : 0;
        for (int i = 0; i < mutations; i++) {
            switch (r.nextInt(14)) {
                case 0, 1 -> replaceHeader(d, "Content-Type", pick(r, CONTENT_TYPES));
                case 2 -> d.headers.removeIf(h -> h[0].equals("Content-Type"));
                case 3 -> d.contentLength = d.body.length > 0 ? Integer.toString(d.body.length - 1) : "0";
                case 4 -> {
                    d.contentLength = Integer.toString(d.body.length + 1 + r.nextInt(100));
                    d.halfClose = true;
                    d.mayDrop = true;
                }
                case 5 -> {
                    d.contentLength = pick(r, List.of("-1", "abc", "99999999999999999999", " 5", "+5", "0x10", "1,2"));
                    d.halfClose = true;
                    d.mayDrop = true;
                }
                case 6 -> d.chunked = true;
                case 7 -> {
                    d.chunked = true;
                    d.brokenChunks = true;
                    d.mayDrop = true;
                }
                case 8 -> {
                    d.header("Content-Encoding", pick(r, List.of("gzip", "deflate", "br", "bogus")));
                }
                case 9 -> d.header("Expect", pick(r, List.of("100-continue", "bogus")));
                case 10 -> d.header("Accept-Charset", pick(r, List.of("bogus", "utf-16", "*")));
                case 11 -> {
                    d.headers.removeIf(h -> h[0].equals("Host"));
                    if (r.nextBoolean()) {
                        d.header("Host", pick(r, List.of("evil.example", "", "127.0.0.1:1", "[::1", "a b")));
                    }
                }
                case 12 ->
                    d.header(
                            pick(r, List.of("X-Forwarded-For", "Origin", "Cookie", "Accept", "Referer", "User-Agent")),
                            pick(
                                    r,
                                    List.of(
                                            "http://evil.example",
                                            "hub_session=zzz",
                                            "1.2.3.4, 5.6.7.8",
                                            "\u00e9\u00e9",
                                            "x".repeat(4000),
                                            "text/html",
                                            "null")));
                default ->
                    d.header(
                            pick(r, List.of("Bad Header", "X-\u00e9", "X-Nul", "Authorization", "Content-Length")),
                            pick(r, List.of("v", "Bearer " + t.tokens().get("other"), "\u0000", "12")));
            }
        }
    }

    private static void replaceHeader(Draft d, String name, String value) {
        d.headers.removeIf(h -> h[0].equals(name));
        d.header(name, value);
    }

    private static void mcpRequest(Random r, Draft d, Target t) {
        d.method = r.nextInt(100) < 90 ? "POST" : pick(r, List.of("GET", "DELETE", "PUT", "OPTIONS", "HEAD", "PATCH"));
        d.path = r.nextInt(100) < 97 ? "/mcp" : pick(r, List.of("/mcp/", "/mcp/x", "/mcp%00", "/MCP", "/mcp;x=1"));
        if (r.nextInt(100) < 5) {
            d.query = pick(r, List.of("?sessionId=%00", "?x=1", "?%ZZ"));
        }
        int k = r.nextInt(100);
        String token = k < 80 ? t.tokens().get("agent") : k < 88 ? t.tokens().get("viewer") : null;
        if (token != null) {
            d.header("Authorization", "Bearer " + token);
        } else if (k < 94) {
            d.header("Authorization", badAuthorization(r, t.tokens().get("agent")));
        }
        d.header("Content-Type", "application/json");
        d.header(
                "Accept",
                r.nextInt(100) < 85
                        ? ACCEPT_MCP
                        : pick(r, List.of("application/json", "text/event-stream", "text/html", "*/*", "")));
        if (r.nextInt(100) < 10) {
            d.header(
                    pick(r, List.of("Mcp-Session-Id", "MCP-Protocol-Version", "Last-Event-ID", "Origin")),
                    pick(r, List.of("\u00e9", "1999-01-01", "2025-06-18", "x".repeat(3000), "http://evil.example")));
        }
        int b = r.nextInt(100);
        String body;
        if (b < 55) {
            body = message(r, t);
        } else if (b < 63) {
            StringBuilder batch = new StringBuilder("[");
            int n = r.nextInt(4);
            for (int i = 0; i < n; i++) {
                batch.append(i == 0 ? "" : ",").append(message(r, t));
            }
            body = batch.append(']').toString();
        } else if (b < 80) {
            d.body = body(r, d, t);
            return;
        } else if (b < 88) {
            body = pick(
                    r,
                    List.of(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}",
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":1,\"message\":\"x\"}}",
                            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                            "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":[]}}",
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"result\":5}",
                            "{\"jsonrpc\":\"2.0\"}"));
        } else {
            body = toolCall(r, t, "1", false);
        }
        d.body = utf8(body);
    }

    /** One JSON-RPC message whose parts are each right, missing or odd. */
    private static String message(Random r, Target t) {
        String method = pick(r, MCP_METHODS);
        if (method.equals("tools/call") && r.nextInt(100) < 60) {
            return toolCall(
                    r,
                    t,
                    odd(r, "1", List.of("null", "1.5", "[]", "{}", "true", "99999999999999999999999", "\"\"", "-1")),
                    true);
        }
        List<String> parts = new ArrayList<>();
        String jsonrpc = odd(r, "\"2.0\"", List.of("\"1.0\"", "2", "null", "[]", "\"2.0 \""));
        if (jsonrpc != null) {
            parts.add("\"jsonrpc\":" + jsonrpc);
        }
        String id = odd(r, "7", List.of("null", "1.5", "[]", "{}", "true", "99999999999999999999999", "\"\u0000\""));
        if (id != null) {
            parts.add("\"id\":" + id);
        }
        String m = odd(r, str(method), List.of("5", "null", "{}", "[]", str("tools/" + pick(r, WEIRD_STRINGS))));
        if (m != null) {
            parts.add("\"method\":" + m);
        }
        String params = odd(
                r,
                params(r, method, t),
                List.of("null", "[]", "5", "\"s\"", "{\"_meta\":null}", "{\"_meta\":{\"progressToken\":[]}}"));
        if (params != null) {
            parts.add("\"params\":" + params);
        }
        return "{" + String.join(",", parts) + "}";
    }

    /** The right value mostly, sometimes nothing (null) or an odd one. */
    private static String odd(Random r, String right, List<String> odd) {
        int k = r.nextInt(100);
        return k < 65 ? right : k < 75 ? null : pick(r, odd);
    }

    private static String params(Random r, String method, Target t) {
        return switch (method) {
            case "initialize" ->
                pick(
                        r,
                        List.of(
                                "{\"protocolVersion\":5}",
                                "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":[],\"clientInfo\":null}",
                                "{\"protocolVersion\":\"1999-01-01\",\"capabilities\":{\"roots\":5},"
                                        + "\"clientInfo\":{\"name\":[]}}",
                                "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                                        + "\"clientInfo\":{\"name\":\"fuzz\",\"version\":\"1\"}}"));
            case "resources/read" ->
                "{\"uri\":"
                        + pick(
                                r,
                                List.of(
                                        "null",
                                        "5",
                                        str("hub://nowhere"),
                                        str("hub://agents/" + pick(r, WEIRD_STRINGS)),
                                        str("file:///etc/passwd"),
                                        str("\u0000")))
                        + "}";
            case "prompts/get" -> "{\"name\":" + str(pick(r, WEIRD_STRINGS)) + ",\"arguments\":" + anyValue(r, 1) + "}";
            case "logging/setLevel" -> "{\"level\":" + pick(r, List.of("7", "\"debug\"", "\"nope\"", "null")) + "}";
            case "completion/complete" -> "{\"ref\":" + anyValue(r, 1) + ",\"argument\":" + anyValue(r, 1) + "}";
            case "tools/list", "resources/list", "prompts/list" ->
                "{\"cursor\":" + pick(r, List.of("5", "\"zz\"", "null", "\"\u0000\"")) + "}";
            default -> "{}";
        };
    }

    /** A tools/call of a real tool (or an unknown one) with arguments of the schema's types, or of wrong ones. */
    private static String toolCall(Random r, Target t, String id, boolean odd) {
        List<String> names = new ArrayList<>(t.tools().keySet());
        String name = odd && r.nextInt(10) == 0 ? pick(r, WEIRD_STRINGS) : pick(r, names);
        Map<String, String> schema = t.tools().getOrDefault(name, Map.of("x", "string"));
        StringBuilder args = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, String> arg : schema.entrySet()) {
            if (r.nextInt(3) == 0) {
                continue;
            }
            args.append(first ? "" : ",").append(str(arg.getKey())).append(':');
            args.append(odd && r.nextInt(3) == 0 ? anyValue(r, 2) : argument(r, arg.getValue()));
            first = false;
        }
        String arguments = args.append('}').toString();
        if (odd && r.nextInt(8) == 0) {
            arguments = pick(r, List.of("null", "[1]", "\"s\"", "5"));
        }
        return "{\"jsonrpc\":\"2.0\",\"id\":" + (id == null ? "1" : id) + ",\"method\":\"tools/call\",\"params\":"
                + "{\"name\":" + str(name) + ",\"arguments\":" + arguments + "}}";
    }

    private static String argument(Random r, String jsonType) {
        return switch (jsonType) {
            case "number", "integer" -> pick(r, NUMBERS);
            case "boolean" -> r.nextBoolean() ? "true" : "false";
            case "array" -> "[" + str(pick(r, WEIRD_STRINGS)) + "]";
            case "object" -> "{\"k\":" + str(pick(r, WEIRD_STRINGS)) + "}";
            default ->
                str(
                        r.nextBoolean()
                                ? pick(r, List.of("victim", "main", "src/a.java", "note"))
                                : pick(r, WEIRD_STRINGS));
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T pick(Random r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
