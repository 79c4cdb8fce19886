package io.agenthub.bench;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * {@code chat-read}: each client pages through the channel with {@code GET /api/chat?channel=&after=&limit=50},
 * following {@code nextCursor} and starting over from the beginning when a page comes back short, so that most reads
 * return a full page. Before measuring, the channel gets {@value #SEED} messages so that there is something to read.
 */
final class ChatReadWorkload implements Workload {
    static final int LIMIT = 50;
    private static final int SEED = 200;

    @Override
    public String name() {
        return "chat-read";
    }

    @Override
    public WorkloadResult run(Settings s, Roster roster) throws InterruptedException {
        List<SimAgent> agents = roster.take(s.clients());
        Map<String, Object> facts = new LinkedHashMap<>();
        Window window;
        OpRecorder read;
        LongAdder returned = new LongAdder();
        try (HubHttp http = s.http()) {
            OpRecorder seed = new OpRecorder("seed", new Window(Long.MIN_VALUE, Long.MAX_VALUE));
            for (int i = 0; i < SEED; i++) {
                ChatPostWorkload.post(http, s, agents.getFirst(), s.channel(), i, System.nanoTime(), seed);
            }
            if (seed.stats().errors() > 0) {
                facts.put("seed posts failed", seed.stats().errors() + " of " + SEED);
            }
            window = Window.after(s.warmup(), s.seconds());
            read = new OpRecorder("read", window);
            OpRecorder op = read;
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ClosedLoop.run(agents.size(), window, i -> {
                Reader reader = new Reader(agents.get(i), s.channel(), true);
                return () -> reader.read(
                        http, s, System.nanoTime(), op, window.contains(System.nanoTime()) ? returned : null);
            });
            facts.putAll(cpu.facts());
        }
        long reads = read.stats().ok();
        facts.put("messages per read", reads == 0 ? 0.0 : Math.round(10.0 * returned.sum() / reads) / 10.0);
        return new WorkloadResult(
                name(),
                s.clients() + " clients, channel " + s.channel() + ", limit " + LIMIT,
                window.seconds(),
                List.of(read.stats()),
                facts);
    }

    /** One agent's position in a channel. Not thread-safe: each agent reads sequentially. */
    static final class Reader {
        private final SimAgent agent;
        private final String channel;
        private final boolean wrap;
        private long cursor;
        private String since;

        /** @param wrap start over from the beginning after a short page (instead of staying at the end) */
        Reader(SimAgent agent, String channel, boolean wrap) {
            this.agent = agent;
            this.channel = URLEncoder.encode(channel, StandardCharsets.UTF_8);
            this.wrap = wrap;
        }

        /** Reads the next page, timed from {@code start}; counts returned messages into {@code returned} if given. */
        void read(HubHttp http, Settings s, long start, OpRecorder op, LongAdder returned) throws InterruptedException {
            boolean original = s.api() == Api.ORIGINAL;
            // The original's chat has one channel, no cursor and no page size after the first read: it answers
            // ?since=<timestamp> with every newer message.
            String query = original
                    ? since == null ? "limit=" + LIMIT : "since=" + URLEncoder.encode(since, StandardCharsets.UTF_8)
                    : "channel=" + channel + "&after=" + cursor + "&limit=" + LIMIT;
            Response r = http.send(agent.index(), http.get("/api/chat?" + query, agent.token(), s.timeout()));
            if (op.record(start, System.nanoTime(), r, 200, false) != OpRecorder.Outcome.OK) {
                return;
            }
            if (original) {
                JsonNode messages = r.json().path("messages");
                int n = messages.size();
                if (returned != null) {
                    returned.add(n);
                }
                since = n == 0 ? since : messages.get(n - 1).path("timestamp").asString(since);
                return;
            }
            Page page = Page.of(r.body(), cursor);
            long n = page.messages();
            long next = page.nextCursor();
            if (returned != null) {
                returned.add(n);
            }
            cursor = wrap && n < LIMIT ? 0 : next;
        }
    }

    /** What a reader needs of a page: how many messages it holds and the cursor to read after it. */
    record Page(long messages, long nextCursor) {
        /**
         * Reads a reply of {@code GET /api/chat} in one streaming pass, without building its messages as a tree (which
         * cost the generator as much CPU as the hub spent answering); {@code cursor} stays where the reply has no next
         * cursor, and a reply that is not JSON counts as an empty page.
         */
        static Page of(byte[] body, long cursor) {
            long n = 0;
            long next = cursor;
            try (JsonParser p = HubHttp.JSON.createParser(body)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String name = p.currentName();
                        JsonToken value = p.nextToken();
                        if (name.equals("messages") && value == JsonToken.START_ARRAY) {
                            for (JsonToken t = p.nextToken();
                                    t != null && t != JsonToken.END_ARRAY;
                                    t = p.nextToken()) {
                                n++;
                                p.skipChildren();
                            }
                        } else if (name.equals("nextCursor") && value == JsonToken.VALUE_NUMBER_INT) {
                            next = p.getLongValue();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } catch (JacksonException e) {
                return new Page(0, cursor);
            }
            return new Page(n, next);
        }
    }
}
