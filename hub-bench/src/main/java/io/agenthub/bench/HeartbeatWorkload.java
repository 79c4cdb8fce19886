package io.agenthub.bench;

import java.util.List;
import java.util.Map;

/** {@code heartbeat}: each client sends {@code POST /api/heartbeat {status: busy, currentTask}} back to back. */
final class HeartbeatWorkload implements Workload {
    @Override
    public String name() {
        return "heartbeat";
    }

    @Override
    public WorkloadResult run(Settings s, Roster roster) throws InterruptedException {
        List<SimAgent> agents = roster.take(s.clients());
        Window window = Window.after(s.warmup(), s.seconds());
        OpRecorder heartbeat = new OpRecorder("heartbeat", window);
        Map<String, Object> facts;
        try (HubHttp http = s.http()) {
            CpuMeter cpu = CpuMeter.during(window, s.hubPids(), http);
            ClosedLoop.run(agents.size(), window, i -> {
                SimAgent agent = agents.get(i);
                long[] beats = {0};
                return () -> beat(http, s, agent, "bench step " + beats[0]++, System.nanoTime(), heartbeat);
            });
            facts = cpu.facts();
        }
        return new WorkloadResult(
                name(), s.clients() + " clients", window.seconds(), List.of(heartbeat.stats()), facts);
    }

    /** One heartbeat, timed from {@code start}. */
    static void beat(HubHttp http, Settings s, SimAgent agent, String task, long start, OpRecorder op)
            throws InterruptedException {
        Response r = http.send(agent.index(), s.api().heartbeat(http, agent, task, s.timeout()));
        op.record(start, System.nanoTime(), r, 200, false);
    }
}
