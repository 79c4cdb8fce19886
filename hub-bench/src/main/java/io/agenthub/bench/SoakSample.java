package io.agenthub.bench;

import java.util.List;
import java.util.Locale;

/**
 * One sample of the soak, taken at the end of each interval. Byte and count columns are -1 when they could not be
 * read.
 *
 * @param minute minutes since the load started
 * @param requests requests sent in the interval
 * @param errors transport failures and 5xx answers in the interval
 * @param p99Millis the interval's 99th percentile latency over all requests
 */
record SoakSample(
        double minute,
        long requests,
        long errors,
        double p50Millis,
        double p99Millis,
        long heapBytes,
        long rssBytes,
        long openFiles,
        long storeBytes) {
    static final String HEADER = "minute,requests,errors,p50_ms,p99_ms,heap_bytes,rss_bytes,open_files,store_bytes";

    /** Parses a line written by {@link #csv()}. */
    static SoakSample parse(String line) {
        String[] f = line.split(",");
        return new SoakSample(
                Double.parseDouble(f[0]),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Double.parseDouble(f[3]),
                Double.parseDouble(f[4]),
                Long.parseLong(f[5]),
                Long.parseLong(f[6]),
                Long.parseLong(f[7]),
                Long.parseLong(f[8]));
    }

    String csv() {
        return String.format(
                Locale.ROOT,
                "%.2f,%d,%d,%.2f,%.2f,%d,%d,%d,%d",
                minute,
                requests,
                errors,
                p50Millis,
                p99Millis,
                heapBytes,
                rssBytes,
                openFiles,
                storeBytes);
    }

    /** The series the verdict and the chart look at. */
    enum Series {
        HEAP("heap MiB", s -> s.heapBytes() / 1048576.0),
        RSS("RSS MiB", s -> s.rssBytes() / 1048576.0),
        OPEN_FILES("open files", s -> (double) s.openFiles()),
        STORE("store MiB", s -> s.storeBytes() / 1048576.0),
        P99("p99 ms", SoakSample::p99Millis);

        final String label;
        final java.util.function.ToDoubleFunction<SoakSample> value;

        Series(String label, java.util.function.ToDoubleFunction<SoakSample> value) {
            this.label = label;
            this.value = value;
        }

        /** The samples that have this value (a -1 means it could not be read, e.g. /metrics timed out). */
        List<SoakSample> known(List<SoakSample> samples) {
            return samples.stream().filter(s -> value.applyAsDouble(s) >= 0).toList();
        }
    }
}
