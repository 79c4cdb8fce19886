package io.agenthub.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The results of one operation in one workload. Latencies are in milliseconds (null when nothing was timed) and cover
 * successes and timed conflicts; {@code perSecond} counts successes only.
 *
 * @param count every operation started in the window: successes, conflicts and errors
 * @param errorKinds error counts by kind, most frequent first (e.g. {@code HTTP 404 no_route}, {@code timeout after
 *     10 s})
 */
record OpStats(
        String op,
        long count,
        long ok,
        double perSecond,
        Double p50,
        Double p90,
        Double p99,
        Double max,
        long conflicts,
        long errors,
        Map<String, Long> errorKinds) {

    static OpStats of(
            String op,
            Histogram h,
            long ok,
            long conflicts,
            long errors,
            Map<String, Long> errorKinds,
            double seconds) {
        boolean empty = h.getTotalCount() == 0;
        return new OpStats(
                op,
                ok + conflicts + errors,
                ok,
                seconds > 0 ? ok / seconds : 0,
                empty ? null : millis(h.getValueAtPercentile(50)),
                empty ? null : millis(h.getValueAtPercentile(90)),
                empty ? null : millis(h.getValueAtPercentile(99)),
                empty ? null : millis(h.getMaxValue()),
                conflicts,
                errors,
                Collections.unmodifiableMap(new LinkedHashMap<>(errorKinds)));
    }

    private static Double millis(long micros) {
        return micros / 1000.0;
    }
}
