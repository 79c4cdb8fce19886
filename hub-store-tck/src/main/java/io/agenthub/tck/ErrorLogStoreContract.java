package io.agenthub.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.errorlog.ErrorEvent;
import io.agenthub.errorlog.ErrorIssue;
import io.agenthub.errorlog.ErrorLevel;
import io.agenthub.errorlog.ErrorLogStore;
import io.agenthub.errorlog.ErrorReport;
import io.agenthub.errorlog.HourlyCount;
import io.agenthub.errorlog.IssueStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The errors tool contract: grouping by fingerprint, exact counts, bounded history, reopening, hourly counts. */
public abstract class ErrorLogStoreContract extends StoresContract {
    private ErrorLogStore errors() {
        return stores.errorLog();
    }

    private ErrorReport report(String fingerprint, String agent, ErrorLevel level, String message) {
        return new ErrorReport(
                agent,
                clock.instant(),
                level,
                fingerprint,
                "Timeout calling the model",
                message,
                "worker.call",
                "at worker.call(Worker.java:12)",
                Map.of("task", "t-1"));
    }

    @Test
    void reports_with_one_fingerprint_group_into_one_issue_with_counts_agents_and_the_worst_level() throws Exception {
        ErrorLogStore.Recorded first = errors().record(report("fp1", "alice", ErrorLevel.WARNING, "m1"), 10, 100);
        assertThat(first.created()).isTrue();
        assertThat(first.issue().count()).isEqualTo(1);
        Instant firstSeen = clock.instant();
        clock.advance(Duration.ofMinutes(3));
        ErrorLogStore.Recorded second = errors().record(report("fp1", "bob", ErrorLevel.ERROR, "m2"), 10, 100);
        errors().record(report("fp1", "alice", ErrorLevel.INFO, "m3"), 10, 100);
        assertThat(second.created()).isFalse();
        restart();

        ErrorIssue issue = errors().issue("fp1").orElseThrow();
        assertThat(issue.count()).isEqualTo(3);
        assertThat(issue.agents()).containsExactly("alice", "bob");
        assertThat(issue.level()).isEqualTo(ErrorLevel.ERROR);
        assertThat(issue.firstSeen()).isEqualTo(firstSeen);
        assertThat(issue.lastSeen()).isEqualTo(clock.instant());
        assertThat(issue.lastMessage()).isEqualTo("m3");
        assertThat(issue.status()).isEqualTo(IssueStatus.UNRESOLVED);
        assertThat(issue.title()).isEqualTo("Timeout calling the model");
        assertThat(errors().issue("nope")).isEmpty();
        assertThat(errors().count(IssueStatus.UNRESOLVED)).isEqualTo(1);
    }

    @Test
    void history_keeps_the_newest_events_newest_first() {
        for (int i = 0; i < 7; i++) {
            errors().record(report("fp1", "alice", ErrorLevel.ERROR, "m" + i), 5, 100);
        }
        errors().record(report("fp2", "alice", ErrorLevel.ERROR, "other"), 5, 100);
        List<ErrorEvent> events = errors().events("fp1", 100);
        assertThat(events).extracting(e -> e.report().message()).containsExactly("m6", "m5", "m4", "m3", "m2");
        assertThat(events).allMatch(e -> e.issueId().equals("fp1"));
        assertThat(events.get(0).seq()).isGreaterThan(events.get(1).seq());
        assertThat(events.get(0).report().tags()).containsEntry("task", "t-1");
        assertThat(errors().events("fp1", 2)).hasSize(2);
        assertThat(errors().events("fp2", 10)).hasSize(1);
        assertThat(errors().issue("fp1").orElseThrow().count()).isEqualTo(7);
    }

    @Test
    void a_resolved_issue_reopens_on_recurrence_and_an_ignored_one_stays_ignored() {
        errors().record(report("fp1", "alice", ErrorLevel.ERROR, "m"), 10, 100);
        errors().record(report("fp2", "alice", ErrorLevel.ERROR, "m"), 10, 100);
        clock.advance(Duration.ofMinutes(1));
        ErrorIssue resolved = errors().setStatus("fp1", IssueStatus.RESOLVED, "ops", clock.instant())
                .orElseThrow();
        assertThat(resolved.status()).isEqualTo(IssueStatus.RESOLVED);
        assertThat(resolved.statusChangedBy()).isEqualTo("ops");
        errors().setStatus("fp2", IssueStatus.IGNORED, "ops", clock.instant());
        assertThat(errors().setStatus("ghost", IssueStatus.RESOLVED, "ops", clock.instant()))
                .isEmpty();

        clock.advance(Duration.ofMinutes(1));
        ErrorLogStore.Recorded again = errors().record(report("fp1", "bob", ErrorLevel.ERROR, "back"), 10, 100);
        assertThat(again.reopened()).isTrue();
        assertThat(again.issue().status()).isEqualTo(IssueStatus.UNRESOLVED);
        assertThat(again.issue().statusChangedBy()).isEqualTo("hub");
        assertThat(again.issue().statusChangedAt()).isEqualTo(clock.instant());
        ErrorLogStore.Recorded ignored = errors().record(report("fp2", "bob", ErrorLevel.ERROR, "again"), 10, 100);
        assertThat(ignored.reopened()).isFalse();
        assertThat(ignored.issue().status()).isEqualTo(IssueStatus.IGNORED);
        assertThat(ignored.issue().count()).isEqualTo(2);
    }

    @Test
    void issues_filter_by_status_and_level_and_list_the_most_recent_first() {
        errors().record(report("warn", "a", ErrorLevel.WARNING, "m"), 10, 100);
        clock.advance(Duration.ofSeconds(1));
        errors().record(report("fatal", "a", ErrorLevel.FATAL, "m"), 10, 100);
        clock.advance(Duration.ofSeconds(1));
        errors().record(report("error", "a", ErrorLevel.ERROR, "m"), 10, 100);
        errors().setStatus("fatal", IssueStatus.RESOLVED, "ops", clock.instant());

        assertThat(errors().issues(null, null, 10))
                .extracting(ErrorIssue::id)
                .containsExactly("error", "fatal", "warn");
        assertThat(errors().issues(IssueStatus.UNRESOLVED, null, 10))
                .extracting(ErrorIssue::id)
                .containsExactly("error", "warn");
        assertThat(errors().issues(null, ErrorLevel.ERROR, 10))
                .extracting(ErrorIssue::id)
                .containsExactly("error", "fatal");
        assertThat(errors().issues(IssueStatus.UNRESOLVED, ErrorLevel.ERROR, 10))
                .extracting(ErrorIssue::id)
                .containsExactly("error");
        assertThat(errors().issues(null, null, 1)).hasSize(1);
    }

    @Test
    void hourly_counts_add_up_per_hour_and_level_and_can_be_purged() {
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        errors().record(report("a", "x", ErrorLevel.ERROR, "m"), 10, 100);
        errors().record(report("b", "x", ErrorLevel.ERROR, "m"), 10, 100);
        errors().record(report("b", "x", ErrorLevel.WARNING, "m"), 10, 100);
        clock.advance(Duration.ofHours(1));
        errors().record(report("a", "x", ErrorLevel.ERROR, "m"), 10, 100);

        assertThat(errors().hourly(hour))
                .containsExactly(
                        new HourlyCount(hour, ErrorLevel.ERROR, 2),
                        new HourlyCount(hour, ErrorLevel.WARNING, 1),
                        new HourlyCount(hour.plus(Duration.ofHours(1)), ErrorLevel.ERROR, 1));
        assertThat(errors().hourly(hour.plus(Duration.ofHours(1)))).hasSize(1);
        assertThat(errors().purgeHourlyBefore(hour.plus(Duration.ofHours(1)))).isEqualTo(2);
        assertThat(errors().hourly(hour)).hasSize(1);
    }

    @Test
    void concurrent_reports_never_lose_a_count() throws Exception {
        Race.run(32, i -> {
            for (int n = 0; n < 10; n++) {
                errors().record(report("hot", "agent-" + i, ErrorLevel.ERROR, "m"), 20, 16);
            }
            return null;
        });
        ErrorIssue issue = errors().issue("hot").orElseThrow();
        assertThat(issue.count()).isEqualTo(320);
        assertThat(issue.agents()).hasSize(16).doesNotHaveDuplicates();
        assertThat(errors().events("hot", 100)).hasSize(20);
        assertThat(errors().hourly(clock.instant().truncatedTo(ChronoUnit.HOURS)))
                .singleElement()
                .extracting(HourlyCount::count)
                .isEqualTo(320L);
    }
}
