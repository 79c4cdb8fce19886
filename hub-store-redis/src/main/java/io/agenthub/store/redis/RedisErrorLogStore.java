package io.agenthub.store.redis;

import io.agenthub.errorlog.ErrorEvent;
import io.agenthub.errorlog.ErrorIssue;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.errorlog.ErrorReport;
import io.agenthub.errorlog.HourlyCount;
import io.agenthub.errorlog.IssueStatus;
import io.agenthub.snapshot.SnapshotRecord;
import io.lettuce.core.ScriptOutputType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The errors tool in Redis: a hash per issue, its occurrences in a list trimmed in the same script, an index of issues
 * by last seen, and a hash of hourly counts. Recording is one script, so concurrent reports never lose a count.
 */
final class RedisErrorLogStore implements ErrorLogStore {
    private static final LuaScript RECORD = LuaScript.load("error-record");
    private static final LuaScript LIST = LuaScript.load("error-list");
    private static final LuaScript STATUS = LuaScript.load("error-status");
    private static final LuaScript PURGE = LuaScript.load("error-purge-hourly");

    private final RedisLink redis;
    private final RedisKeys keys;

    RedisErrorLogStore(RedisLink redis, RedisKeys keys) {
        this.redis = redis;
        this.keys = keys;
    }

    /** An occurrence as stored in the event list: the report without its fingerprint (the issue id). */
    record Stored(
            String agentId,
            Instant at,
            ErrorLevel level,
            String title,
            String message,
            String culprit,
            String stackTrace,
            Map<String, String> tags) {}

    @Override
    public Recorded record(ErrorReport r, int keepEvents, int maxAgents) {
        Stored event = new Stored(
                r.agentId(), r.at(), r.level(), r.title(), r.message(), r.culprit(), r.stackTrace(), r.tags());
        String hour = hourField(r.at().truncatedTo(ChronoUnit.HOURS), r.level());
        Map<String, String> f = Replies.hash(redis.eval(
                RECORD,
                ScriptOutputType.MULTI,
                new String[] {
                    keys.errorIssue(r.fingerprint()),
                    keys.errorEvents(r.fingerprint()),
                    keys.errorIssues(),
                    keys.errorEventSeq(),
                    keys.errorHourly()
                },
                r.fingerprint(),
                Replies.millis(r.at()),
                r.level().name(),
                Integer.toString(r.level().ordinal()),
                r.title(),
                r.culprit(),
                r.agentId(),
                r.message(),
                Integer.toString(keepEvents),
                Integer.toString(maxAgents),
                Json.write(event),
                hour));
        return new Recorded(issue(f), "1".equals(f.get("created")), "1".equals(f.get("reopened")));
    }

    @Override
    public Optional<ErrorIssue> issue(String id) {
        Map<String, String> f = redis.call("errors", c -> c.hgetall(keys.errorIssue(id)));
        return f.isEmpty() ? Optional.empty() : Optional.of(issue(f));
    }

    @Override
    public List<ErrorIssue> issues(IssueStatus status, ErrorLevel atLeast, int limit) {
        List<ErrorIssue> out = new ArrayList<>();
        for (ErrorIssue i : all()) {
            if ((status == null || i.status() == status)
                    && (atLeast == null || !atLeast.moreSevereThan(i.level()))
                    && out.size() < limit) {
                out.add(i);
            }
        }
        return out;
    }

    private List<ErrorIssue> all() {
        List<ErrorIssue> out = new ArrayList<>();
        for (Map<String, String> f : Replies.hashes(
                redis.eval(LIST, ScriptOutputType.MULTI, new String[] {keys.errorIssues()}, keys.errorBase()))) {
            out.add(issue(f));
        }
        out.sort(Comparator.comparing(ErrorIssue::lastSeen).reversed().thenComparing(ErrorIssue::id));
        return out;
    }

    @Override
    public long count(IssueStatus status) {
        return all().stream().filter(i -> i.status() == status).count();
    }

    @Override
    public List<ErrorEvent> events(String issueId, int limit) {
        List<String> entries = redis.call("errors", c -> c.lrange(keys.errorEvents(issueId), 0, limit - 1));
        List<ErrorEvent> out = new ArrayList<>(entries.size());
        for (String entry : entries) {
            out.add(event(issueId, entry));
        }
        return out;
    }

    /** An occurrence from its entry in the issue's event list, {@code <seq>|<JSON>}. */
    private static ErrorEvent event(String issueId, String entry) {
        int bar = entry.indexOf('|');
        Stored s = Json.read(entry.substring(bar + 1), Stored.class);
        return new ErrorEvent(
                Long.parseLong(entry.substring(0, bar)),
                issueId,
                new ErrorReport(
                        s.agentId(),
                        s.at(),
                        s.level(),
                        issueId,
                        s.title(),
                        s.message(),
                        s.culprit(),
                        s.stackTrace(),
                        s.tags()));
    }

    @Override
    public Optional<ErrorIssue> setStatus(String issueId, IssueStatus status, String by, Instant at) {
        Map<String, String> f = Replies.hash(redis.eval(
                STATUS,
                ScriptOutputType.MULTI,
                new String[] {keys.errorIssue(issueId)},
                status.name(),
                Replies.millis(at),
                by));
        return f.isEmpty() ? Optional.empty() : Optional.of(issue(f));
    }

    @Override
    public List<HourlyCount> hourly(Instant from) {
        Map<String, String> all = redis.call("errors", c -> c.hgetall(keys.errorHourly()));
        List<HourlyCount> out = new ArrayList<>();
        all.forEach((field, count) -> {
            HourlyCount c = hourly(field, count);
            if (!c.hour().isBefore(from)) {
                out.add(c);
            }
        });
        out.sort(Comparator.comparing(HourlyCount::hour)
                .thenComparing(c -> c.level().name()));
        return out;
    }

    /** The field of one hour's count in the hourly hash: {@code <hour ms>|<LEVEL>}. */
    private static String hourField(Instant hour, ErrorLevel level) {
        return hour.toEpochMilli() + "|" + level.name();
    }

    /** A count from its field and value in the hourly hash. */
    private static HourlyCount hourly(String field, String count) {
        int bar = field.indexOf('|');
        return new HourlyCount(
                Instant.ofEpochMilli(Long.parseLong(field.substring(0, bar))),
                ErrorLevel.valueOf(field.substring(bar + 1)),
                Long.parseLong(count));
    }

    @Override
    public int purgeHourlyBefore(Instant before) {
        long n = redis.eval(PURGE, ScriptOutputType.INTEGER, new String[] {keys.errorHourly()}, Replies.millis(before));
        return (int) n;
    }

    /** An issue from its hash's fields. */
    private static ErrorIssue issue(Map<String, String> f) {
        return new ErrorIssue(
                f.get("id"),
                f.get("title"),
                f.get("culprit"),
                ErrorLevel.valueOf(f.get("level")),
                IssueStatus.valueOf(f.get("status")),
                Long.parseLong(f.get("count")),
                Replies.millis(f.get("first")),
                Replies.millis(f.get("last")),
                Json.list(f.get("agents")),
                f.get("message"),
                Replies.millis(f.get("changedAt")),
                f.get("changedBy"));
    }

    /**
     * The errors tool in snapshots: issues by id, occurrences by number, hourly counts by (hour, level), written back
     * as error-record.lua writes them.
     */
    static final RedisSnapshotPart SNAPSHOT = RedisSnapshotPart.of()
            .record(
                    SnapshotRecord.ErrorIssueRow.class,
                    (x, sink) -> {
                        List<String> ids = issueIds(x);
                        for (Map<String, String> f :
                                x.pipe().each(ids, (a, id) -> a.hgetall(x.keys().errorIssue(id)))) {
                            if (!f.isEmpty()) {
                                sink.accept(new SnapshotRecord.ErrorIssueRow(issue(f)));
                            }
                        }
                    },
                    (w, row) -> restoreIssue(w, row.issue()))
            .record(
                    SnapshotRecord.ErrorEventRow.class,
                    (x, sink) -> {
                        List<String> ids = issueIds(x);
                        List<List<String>> entries =
                                x.pipe().each(ids, (a, id) -> a.lrange(x.keys().errorEvents(id), 0, -1));
                        List<ErrorEvent> events = new ArrayList<>();
                        for (int i = 0; i < ids.size(); i++) {
                            for (String entry : entries.get(i)) {
                                events.add(event(ids.get(i), entry));
                            }
                        }
                        events.sort(Comparator.comparingLong(ErrorEvent::seq));
                        events.forEach(e -> sink.accept(new SnapshotRecord.ErrorEventRow(e)));
                    },
                    (w, row) -> restoreEvent(w, row.event()))
            .record(
                    SnapshotRecord.ErrorHourRow.class,
                    (x, sink) -> {
                        List<HourlyCount> hours = new ArrayList<>();
                        x.sync()
                                .hgetall(x.keys().errorHourly())
                                .forEach((field, count) -> hours.add(hourly(field, count)));
                        hours.sort(Comparator.comparing(HourlyCount::hour)
                                .thenComparing(h -> h.level().name(), RedisSnapshotPart.BYTES));
                        hours.forEach(h -> sink.accept(new SnapshotRecord.ErrorHourRow(h)));
                    },
                    (w, row) -> w.hset(
                            w.keys().errorHourly(),
                            hourField(row.count().hour(), row.count().level()),
                            Long.toString(row.count().count())));

    private static List<String> issueIds(RedisSnapshotExport x) {
        List<String> ids = new ArrayList<>(x.sync().zrange(x.keys().errorIssues(), 0, -1));
        ids.sort(RedisSnapshotPart.BYTES);
        return ids;
    }

    /** As error-record.lua. */
    private static void restoreIssue(RedisSnapshotRestore w, ErrorIssue i) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", i.id());
        f.put("title", i.title());
        f.put("culprit", i.culprit());
        f.put("level", i.level().name());
        f.put("rank", Integer.toString(i.level().ordinal()));
        f.put("status", i.status().name());
        f.put("count", Long.toString(i.count()));
        f.put("first", Replies.millis(i.firstSeen()));
        f.put("last", Replies.millis(i.lastSeen()));
        f.put("agents", Json.write(i.agents()));
        f.put("message", i.lastMessage());
        f.put("changedAt", Replies.millis(i.statusChangedAt()));
        f.put("changedBy", i.statusChangedBy());
        w.hset(w.keys().errorIssue(i.id()), f);
        w.zadd(w.keys().errorIssues(), i.lastSeen().toEpochMilli(), i.id());
    }

    /** As error-record.lua: events come oldest first, so pushing each at the head leaves the list newest first. */
    private static void restoreEvent(RedisSnapshotRestore w, ErrorEvent e) {
        ErrorReport r = e.report();
        String entry = e.seq() + "|"
                + Json.write(new Stored(
                        r.agentId(), r.at(), r.level(), r.title(), r.message(), r.culprit(), r.stackTrace(), r.tags()));
        w.lpush(w.keys().errorEvents(e.issueId()), entry);
        w.raise(w.keys().errorEventSeq(), e.seq());
    }
}
