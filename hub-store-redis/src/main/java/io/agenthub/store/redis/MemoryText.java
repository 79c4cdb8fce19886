package io.agenthub.store.redis;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts memory text into index words, the same way for entries and for queries: lowercase, diacritics removed (so
 * {@code café} matches {@code cafe}), runs of letters and digits only. Punctuation and operator words are never
 * interpreted, so no query can fail.
 */
final class MemoryText {
    /** More words than this add cost but hardly change the ranking. */
    static final int MAX_QUERY_WORDS = 32;
    /** The last query word matches as a prefix only if it is at least this long, so it cannot match half the index. */
    static final int MIN_PREFIX_LENGTH = 3;
    /** Longer words are cut, so that one pasted blob cannot make a huge key. */
    static final int MAX_WORD_LENGTH = 64;
    /** Tags name what an entry is about, so a word in a tag counts as much as this many in the content. */
    static final int TAG_WEIGHT = 2;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{Co}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private MemoryText() {}

    /** A query word; the last one may match as a prefix. */
    record Term(String word, boolean prefix) {}

    /** An entry's index: weighted term frequencies and its length in words. */
    record Indexed(Map<String, Integer> frequencies, int length) {}

    static Indexed index(String content, List<String> tags) {
        Map<String, Integer> tf = new LinkedHashMap<>();
        int length = 0;
        for (String w : words(content).words()) {
            tf.merge(w, 1, Integer::sum);
            length++;
        }
        for (String tag : tags) {
            for (String w : words(tag).words()) {
                tf.merge(w, TAG_WEIGHT, Integer::sum);
                length++;
            }
        }
        return new Indexed(tf, length);
    }

    /** The distinct words of a query, at most {@link #MAX_QUERY_WORDS}; empty if it has none. */
    static List<Term> query(String text) {
        if (text == null) {
            return List.of();
        }
        Words found = words(text);
        if (found.words().isEmpty()) {
            return List.of();
        }
        String last = found.words().getLast();
        boolean prefix = found.endsWithWord() && last.length() >= MIN_PREFIX_LENGTH;
        List<Term> terms = new ArrayList<>();
        for (String w : new LinkedHashSet<>(found.words())) {
            if (terms.size() == MAX_QUERY_WORDS) {
                break;
            }
            terms.add(new Term(w, prefix && w.equals(last)));
        }
        return terms;
    }

    private record Words(List<String> words, boolean endsWithWord) {}

    private static Words words(String text) {
        String folded = MARKS.matcher(Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD))
                .replaceAll("");
        Matcher m = WORD.matcher(folded);
        List<String> out = new ArrayList<>();
        int lastEnd = -1;
        while (m.find()) {
            out.add(cut(m.group()));
            lastEnd = m.end();
        }
        return new Words(out, lastEnd == folded.length());
    }

    private static String cut(String word) {
        int points = word.codePointCount(0, word.length());
        return points <= MAX_WORD_LENGTH ? word : word.substring(0, word.offsetByCodePoints(0, MAX_WORD_LENGTH));
    }
}
