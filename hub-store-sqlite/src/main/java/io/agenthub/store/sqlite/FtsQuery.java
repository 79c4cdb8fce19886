package io.agenthub.store.sqlite;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns free text into an FTS5 query that cannot be a syntax error. Only words (letters and digits) are kept, each
 * becomes a quoted string, so that operators ({@code AND OR NOT NEAR}), column filters, {@code * - : ^ ( )} and quotes
 * in the text are never interpreted. Words are joined with {@code OR}, so an entry matches if it has any of them and
 * BM25 ranks those with more and rarer words first. The last word also matches as a prefix when the text ends in it
 * (the user may still be typing it) and it is long enough not to match half the index.
 */
final class FtsQuery {
    /** More words than this add cost but hardly change the ranking. */
    static final int MAX_WORDS = 32;

    static final int MIN_PREFIX_LENGTH = 3;

    // Letters and digits, as the unicode61 tokenizer sees them; combining marks may follow a letter.
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{Co}][\\p{L}\\p{N}\\p{M}\\p{Co}]*");

    private FtsQuery() {}

    /** The FTS5 query for {@code text}, or empty if it has no words. */
    static Optional<String> of(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = WORD.matcher(text);
        List<String> words = new ArrayList<>();
        int lastEnd = -1;
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
            lastEnd = m.end();
        }
        if (words.isEmpty()) {
            return Optional.empty();
        }
        String last = words.getLast();
        boolean prefix = lastEnd == text.length() && last.length() >= MIN_PREFIX_LENGTH;
        Set<String> terms = new LinkedHashSet<>(words);
        List<String> quoted = new ArrayList<>();
        for (String term : terms) {
            if (quoted.size() == MAX_WORDS) {
                break;
            }
            // WORD never matches '"', so the quotes cannot be closed early.
            quoted.add('"' + term + '"' + (prefix && term.equals(last) ? "*" : ""));
        }
        return Optional.of(String.join(" OR ", quoted));
    }
}
