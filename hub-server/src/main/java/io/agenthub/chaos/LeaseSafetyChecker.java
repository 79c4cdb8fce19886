package io.agenthub.chaos;

import io.agenthub.lease.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Proves two properties of a {@link GrantHistory}, or names the grants that break them:
 *
 * <ul>
 *   <li><b>mutual exclusion</b>: no two usable grants of overlapping resources (see {@link Resources#overlap}) to
 *       different holders were valid at the same time;
 *   <li><b>fencing</b>: of two grants of overlapping resources to different holders, the one that began after the
 *       other ended has the greater token, so tokens only grow per resource.
 * </ul>
 *
 * Grants to one holder are not compared with each other: a holder may hold overlapping resources, and acquiring a
 * resource it still holds (say, after a release that failed) extends that grant with its old token.
 *
 * Grants are grouped by their first path segment (overlapping names share it), sorted by start and swept once, so a
 * history of a few hundred thousand grants is checked in well under a second.
 */
public final class LeaseSafetyChecker {
    private static final int MAX_REPORTED = 10;

    private LeaseSafetyChecker() {}

    /** The outcome: how much was checked and what broke (empty when both properties hold). */
    public record Verdict(int grants, int resources, long pairsCompared, List<String> violations) {
        public boolean safe() {
            return violations.isEmpty();
        }

        /** One line for a report or an assertion message. */
        public String summary() {
            return safe()
                    ? String.format(
                            Locale.ROOT,
                            "mutual exclusion and fencing hold over %,d grants of %,d resources (%,d overlapping pairs"
                                    + " compared)",
                            grants,
                            resources,
                            pairsCompared)
                    : violations.size() + " violation(s), first: " + String.join("; ", violations);
        }
    }

    public static Verdict check(List<GrantHistory.Grant> history) {
        Map<String, List<GrantHistory.Grant>> groups = new HashMap<>();
        long resources =
                history.stream().map(GrantHistory.Grant::resource).distinct().count();
        for (GrantHistory.Grant g : history) {
            if (g.usable()) {
                groups.computeIfAbsent(group(g.resource()), k -> new ArrayList<>())
                        .add(g);
            }
        }
        List<String> violations = new ArrayList<>();
        long compared = 0;
        int usable = 0;
        for (List<GrantHistory.Grant> group : groups.values()) {
            usable += group.size();
            group.sort(Comparator.comparingLong(GrantHistory.Grant::from));
            // Grants still valid at the current one's start, and the greatest token per resource so far.
            LinkedList<GrantHistory.Grant> active = new LinkedList<>();
            List<GrantHistory.Grant> ended = new ArrayList<>();
            for (GrantHistory.Grant g : group) {
                for (Iterator<GrantHistory.Grant> it = active.iterator(); it.hasNext(); ) {
                    GrantHistory.Grant a = it.next();
                    if (a.until() <= g.from()) {
                        it.remove();
                        ended.add(a);
                    } else if (!a.holder().equals(g.holder()) && Resources.overlap(a.resource(), g.resource())) {
                        compared++;
                        add(
                                violations,
                                "mutual exclusion broken: " + describe(a) + " and " + describe(g)
                                        + " were valid at the same time");
                    }
                }
                // Fencing: against the newest ended grant of each overlapping resource (tokens of ended grants are
                // checked in start order, so comparing with the latest one per resource suffices).
                for (int i = ended.size() - 1, seen = 0; i >= 0 && seen < 64; i--) {
                    GrantHistory.Grant e = ended.get(i);
                    if (!e.holder().equals(g.holder()) && Resources.overlap(e.resource(), g.resource())) {
                        compared++;
                        seen++;
                        if (e.token() > g.token()) {
                            add(
                                    violations,
                                    "fencing broken: " + describe(g) + " began after " + describe(e)
                                            + " ended, with a smaller token");
                        }
                        if (e.resource().equals(g.resource())) {
                            break;
                        }
                    }
                }
                active.add(g);
            }
        }
        return new Verdict(usable, (int) resources, compared, List.copyOf(violations));
    }

    private static void add(List<String> violations, String text) {
        if (violations.size() < MAX_REPORTED) {
            violations.add(text);
        }
    }

    private static String group(String resource) {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash + 1);
    }

    private static String describe(GrantHistory.Grant g) {
        return String.format(
                Locale.ROOT,
                "%s to %s (token %d, node %s, %.3f s to %.3f s)",
                g.resource(),
                g.holder(),
                g.token(),
                g.node(),
                g.from() / 1e9,
                g.until() / 1e9);
    }
}
