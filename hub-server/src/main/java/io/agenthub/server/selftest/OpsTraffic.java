package io.agenthub.server.selftest;

import io.agenthub.alert.AlertEvent;
import io.agenthub.auth.Principal;
import io.agenthub.errorlog.ErrorLogService;
import io.agenthub.ops.Counters;
import java.util.List;
import java.util.Map;

/** What the operations checks share: simulated traffic and error reports, agents that report, alert events. */
final class OpsTraffic {
    private OpsTraffic() {}

    static ErrorLogService.NewError error(String title, String level) {
        return new ErrorLogService.NewError(
                title, "details", level, "worker.call", "at worker.call(Worker.java:42)", Map.of("task", "t1"), null);
    }

    /** Simulates traffic: {@code requests} API requests of which {@code failures} were reported as errors. */
    /**
     * Counts {@code requests} and reports {@code failures} spread over {@code reporters}: rules weigh each reporter's
     * failures to at most a third of their threshold, so a rate that should trip a rule needs several reporters.
     */
    static void traffic(Scratch s, List<Principal> reporters, int requests, int failures) {
        s.hub.counters.add(Counters.REQUESTS, requests);
        for (int i = 0; i < failures; i++) {
            s.hub.errors.report(reporters.get(i % reporters.size()), error("Task failed", "error"));
        }
    }

    /** Agents a1 to a{@code n}. */
    static List<Principal> reporters(Scratch s, int n) {
        List<Principal> out = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(s.agent("a" + i));
        }
        return out;
    }

    static List<AlertEvent> firing(List<AlertEvent> events, String rule, AlertEvent.Kind kind) {
        return events.stream()
                .filter(e -> e.rule().equals(rule) && e.kind() == kind)
                .toList();
    }
}
