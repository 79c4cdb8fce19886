package io.agenthub.memory;

import io.agenthub.error.HubException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One shared knowledge entry. Its content and category never change after it is written. Writing the same knowledge
 * again (an exact or near duplicate, see {@link MemoryWords}) merges into the entry instead: its count grows, tags and
 * authors are unioned and {@code updatedAt} moves. Recalls update the recall statistics.
 *
 * @param tags lowercase, without duplicates, in order of first appearance, at most {@link #MAX_TAGS}
 * @param author the id of the principal that wrote it first
 * @param recallCount how many times a recall has returned this entry
 * @param lastRecalledAt when a recall last returned it, or null if never
 * @param count how many times this knowledge was written (1 for a new entry; merges add up)
 * @param authors everyone who wrote it, first author first, without duplicates, at most {@link #MAX_AUTHORS}
 * @param updatedAt when it was last written or merged (its creation time until then)
 */
public record Memory(
        String id,
        Category category,
        String content,
        List<String> tags,
        String author,
        Instant createdAt,
        int recallCount,
        Instant lastRecalledAt,
        int count,
        List<String> authors,
        Instant updatedAt) {
    /** Most tags an entry keeps after merges; later tags beyond it are dropped. */
    public static final int MAX_TAGS = 64;
    /** Most authors an entry lists after merges; its count still grows. */
    public static final int MAX_AUTHORS = 32;

    /** What kind of knowledge an entry holds. */
    public enum Category {
        /** Something found out about the code, the system or the world. */
        DISCOVERY,
        /** A choice that was made, and ideally why. */
        DECISION,
        /** Something that stops progress until it is resolved. */
        BLOCKER,
        /** A lesson from a mistake or a success. */
        LEARNING,
        /** A recurring shape worth reusing. */
        PATTERN,
        /** A trap that others should avoid. */
        WARNING;

        /** The accepted names, lowercase and comma-separated, for messages. */
        public static final String NAMES =
                Arrays.stream(values()).map(Category::label).collect(Collectors.joining(", "));

        /**
         * The category named {@code value} in any case; null for null or blank; otherwise fails with
         * {@link HubException.InvalidRequest} listing the accepted names.
         */
        public static Category parse(String field, String value) {
            if (value == null || value.isBlank()) {
                return null;
            }
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new HubException.InvalidRequest(
                        field + " must be one of " + NAMES + "; got '" + value + "'.", Map.of("field", field));
            }
        }

        /** The lowercase name users see. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Memory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(content, "content");
        tags = tags == null ? List.of() : List.copyOf(tags);
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(createdAt, "createdAt");
        if (recallCount < 0) {
            throw new IllegalArgumentException("recallCount must not be negative");
        }
        // Entries from before merging (older snapshots and stores) have none of these: one write by their author.
        count = Math.max(1, count);
        authors = authors == null || authors.isEmpty() ? List.of(author) : List.copyOf(authors);
        updatedAt = updatedAt == null ? createdAt : updatedAt;
    }

    /** An entry written once, by its author, at its creation time. */
    public Memory(
            String id,
            Category category,
            String content,
            List<String> tags,
            String author,
            Instant createdAt,
            int recallCount,
            Instant lastRecalledAt) {
        this(id, category, content, tags, author, createdAt, recallCount, lastRecalledAt, 1, null, null);
    }

    /** A new entry that was never recalled. */
    public static Memory fresh(
            String id, Category category, String content, List<String> tags, String author, Instant createdAt) {
        return new Memory(id, category, content, tags, author, createdAt, 0, null);
    }

    /** This entry as it stands after one more recall at {@code at}. */
    public Memory recalledAt(Instant at) {
        return new Memory(
                id, category, content, tags, author, createdAt, recallCount + 1, at, count, authors, updatedAt);
    }

    /**
     * This entry after {@code other} (a duplicate of it) is merged in at {@code at}: counts and recall counts add up,
     * tags and authors are unioned (this entry's first, within the limits), the later recall time and update time win.
     * Id, category, content, first author and creation time stay this entry's.
     */
    public Memory absorb(Memory other, Instant at) {
        Instant recalled = lastRecalledAt == null
                ? other.lastRecalledAt
                : other.lastRecalledAt == null || lastRecalledAt.isAfter(other.lastRecalledAt)
                        ? lastRecalledAt
                        : other.lastRecalledAt;
        Instant updated = at.isAfter(updatedAt) ? at : updatedAt;
        return new Memory(
                id,
                category,
                content,
                union(tags, other.tags, MAX_TAGS),
                author,
                createdAt,
                recallCount + other.recallCount,
                recalled,
                count + other.count,
                union(authors, other.authors, MAX_AUTHORS),
                updated);
    }

    /** {@code a} then the items of {@code b} it lacks, at most {@code max} in all. */
    public static List<String> union(List<String> a, List<String> b, int max) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(a);
        for (String s : b) {
            if (out.size() >= max) {
                break;
            }
            out.add(s);
        }
        return List.copyOf(out);
    }
}
