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
 * One shared knowledge entry. Content, tags and category never change after it is written; only the recall statistics
 * do.
 *
 * @param tags lowercase, without duplicates, in the author's order
 * @param author the id of the principal that wrote it
 * @param recallCount how many times a recall has returned this entry
 * @param lastRecalledAt when a recall last returned it, or null if never
 */
public record Memory(
        String id,
        Category category,
        String content,
        List<String> tags,
        String author,
        Instant createdAt,
        int recallCount,
        Instant lastRecalledAt) {
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
    }

    /** A new entry that was never recalled. */
    public static Memory fresh(
            String id, Category category, String content, List<String> tags, String author, Instant createdAt) {
        return new Memory(id, category, content, tags, author, createdAt, 0, null);
    }

    /** This entry as it stands after one more recall at {@code at}. */
    public Memory recalledAt(Instant at) {
        return new Memory(id, category, content, tags, author, createdAt, recallCount + 1, at);
    }
}
