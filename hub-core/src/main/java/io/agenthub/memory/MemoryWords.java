package io.agenthub.memory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How memory text is folded into words, the one definition that duplicate detection, consolidation and the Redis search
 * index share: lowercase, diacritics removed ({@code café} is {@code cafe}), runs of letters and digits only (so
 * whitespace and punctuation never count), each word reduced to its stem by {@link PorterStemmer} ({@code caching} and
 * {@code cached} are one word).
 *
 * <p><b>Duplicates.</b> Two entries are exact duplicates when they have the same category and the same sequence of stems
 * ({@link #fingerprint}): "Use WAL mode." and "use  WAL-mode" are one entry. They are near duplicates when they have
 * the same category and the Jaccard similarity of their sets of stems ({@link #similarity}) is at least
 * {@link #NEAR_DUPLICATE}.
 */
public final class MemoryWords {
    /** The similarity from which two entries of one category are near duplicates that consolidation merges. */
    public static final double NEAR_DUPLICATE = 0.8;

    /** Longer words are cut, so that one pasted blob cannot make a huge index key. */
    public static final int MAX_WORD_LENGTH = 64;

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}\\p{Co}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    private MemoryWords() {}

    /** Folded words of {@code text} as found, with whether the text ends in a word (for prefix queries). */
    public record Words(List<String> words, boolean endsWithWord) {}

    /** The folded words of {@code text}: lowercase, without diacritics, cut to {@link #MAX_WORD_LENGTH}; not stemmed. */
    public static Words words(String text) {
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

    /** The stems of the words of {@code text}, in order, repeats kept. */
    public static List<String> stems(String text) {
        return words(text).words().stream().map(PorterStemmer::stem).toList();
    }

    /**
     * The key under which at most one live entry may exist: a SHA-256 (hex) of the category and the entry's stems in
     * order. Equal for texts that differ only in case, whitespace, punctuation, diacritics or word forms.
     */
    public static String fingerprint(Memory.Category category, String content) {
        String canonical = category.name() + "\n" + String.join(" ", stems(content));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Jaccard similarity of the two texts' sets of stems: 1 for the same set, 0 when none is shared or both are empty. */
    public static double similarity(String a, String b) {
        Set<String> x = new LinkedHashSet<>(stems(a));
        Set<String> y = new LinkedHashSet<>(stems(b));
        if (x.isEmpty() || y.isEmpty()) {
            return x.equals(y) && !x.isEmpty() ? 1 : 0;
        }
        int shared = 0;
        for (String s : x) {
            if (y.contains(s)) {
                shared++;
            }
        }
        return (double) shared / (x.size() + y.size() - shared);
    }

    private static String cut(String word) {
        int points = word.codePointCount(0, word.length());
        return points <= MAX_WORD_LENGTH ? word : word.substring(0, word.offsetByCodePoints(0, MAX_WORD_LENGTH));
    }
}
