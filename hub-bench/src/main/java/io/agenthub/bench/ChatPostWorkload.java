package io.agenthub.bench;

import java.util.List;
import java.util.Map;

/** {@code chat-post}: each client posts {@code POST /api/chat {channel, text}} back to back; 201 is success. */
final class ChatPostWorkload implements Workload {
    @Override
    public String name() {
        return "chat-post";
    }

    @Override
    public WorkloadResult run(Settings s, Roster roster) throws InterruptedException {
        List<SimAgent> agents = roster.take(s.clients());
        Window window = Window.after(s.warmup(), s.seconds());
        OpRecorder post = new OpRecorder("post", window);
        Map<String, Object> facts;
        try (HubHttp http = s.http()) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ClosedLoop.run(agents.size(), window, i -> {
                SimAgent agent = agents.get(i);
                long[] seq = {0};
                return () -> post(http, s, agent, s.channel(), seq[0]++, System.nanoTime(), post);
            });
            facts = cpu.facts();
        }
        return new WorkloadResult(
                name(),
                s.clients() + " clients, channel " + s.channel(),
                window.seconds(),
                List.of(post.stats()),
                facts);
    }

    /** One chat post of about 120 characters, timed from {@code start}. */
    static void post(HubHttp http, Settings s, SimAgent agent, String channel, long seq, long start, OpRecorder op)
            throws InterruptedException {
        String text = "Load bench message " + seq + " from " + agent.id()
                + ": finished the refactoring of the parser module, tests pass, moving on.";
        Response r = http.send(agent.index(), s.api().chatPost(http, agent, channel, text, s.timeout()));
        op.record(start, System.nanoTime(), r, s.api().posted(), false);
    }
}
