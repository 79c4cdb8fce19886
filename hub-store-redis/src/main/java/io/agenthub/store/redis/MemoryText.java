package io.agenthub.store.redis;

import io.agenthub.memory.MemoryWords;
import io.agenthub.memory.PorterStemmer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Cuts memory text into index words, the same way for entries and for queries: {@link MemoryWords} folds case,
 * diacritics and punctuation, and {@link PorterStemmer} word forms (so {@code caching} matches {@code cached}, as the
 * SQLite store's FTS5 {@code porter} tokenizer does). Punctuation and operator words are never interpreted, so no query
 * can fail.
 */
final class MemoryText {
    /** More words than this add cost but hardly change the ranking. */
    static final int MAX_QUERY_WORDS = 32;
    /** The last query word matches as a prefix only if it is at least this long, so it cannot match half the index. */
    static final int MIN_PREFIX_LENGTH = 3;
    /** Tags name what an entry is about, so a word in a tag counts as much as this many in the content. */
    static final int TAG_WEIGHT = 2;

    private MemoryText() {}

    /** A query word (stemmed); the last one may match as a prefix. */
    record Term(String word, boolean prefix) {}

    /** An entry's index: weighted term frequencies and its length in words. */
    record Indexed(Map<String, Integer> frequencies, int length) {}

    static Indexed index(String content, List<String> tags) {
        Map<String, Integer> tf = new LinkedHashMap<>();
        int length = 0;
        for (String w : MemoryWords.stems(content)) {
            tf.merge(w, 1, Integer::sum);
            length++;
        }
        for (String tag : tags) {
            for (String w : MemoryWords.stems(tag)) {
                tf.merge(w, TAG_WEIGHT, Integer::sum);
                length++;
            }
        }
        return new Indexed(tf, length);
    }

    /** The distinct stemmed words of a query, at most {@link #MAX_QUERY_WORDS}; empty if it has none. */
    static List<Term> query(String text) {
        if (text == null) {
            return List.of();
        }
        MemoryWords.Words found = MemoryWords.words(text);
        if (found.words().isEmpty()) {
            return List.of();
        }
        String last = PorterStemmer.stem(found.words().getLast());
        boolean prefix = found.endsWithWord() && last.length() >= MIN_PREFIX_LENGTH;
        List<Term> terms = new ArrayList<>();
        for (String w : new LinkedHashSet<>(
                found.words().stream().map(PorterStemmer::stem).toList())) {
            if (terms.size() == MAX_QUERY_WORDS) {
                break;
            }
            terms.add(new Term(w, prefix && w.equals(last)));
        }
        return terms;
    }
}
