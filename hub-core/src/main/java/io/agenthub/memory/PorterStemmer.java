package io.agenthub.memory;

/**
 * The Porter stemming algorithm (M. F. Porter, "An algorithm for suffix stripping", 1980) for lowercase English words:
 * {@code caching}, {@code cached} and {@code caches} all become {@code cach}. It is the algorithm of SQLite's FTS5
 * {@code porter} tokenizer, so that the Redis memory index folds word forms as the SQLite one does.
 *
 * <p>Only words of the letters {@code a}-{@code z} that are longer than two letters are stemmed; any other word is
 * returned as given. Thread-safe: it keeps no state.
 */
public final class PorterStemmer {
    private PorterStemmer() {}

    /** The stem of {@code word}, or {@code word} itself when it is not a lowercase ASCII word of three letters or more. */
    public static String stem(String word) {
        if (word.length() <= 2 || !word.chars().allMatch(ch -> ch >= 'a' && ch <= 'z')) {
            return word;
        }
        Word w = new Word(word);
        w.step1a();
        w.step1b();
        w.step1c();
        w.step2();
        w.step3();
        w.step4();
        w.step5();
        return w.toString();
    }

    /** A word being stemmed: its letters, of which the first {@code end} are still part of it. */
    private static final class Word {
        private final StringBuilder b;

        Word(String word) {
            b = new StringBuilder(word);
        }

        /** Whether the letter at {@code i} is a consonant: not a vowel, and a {@code y} only after a vowel. */
        private boolean consonant(int i) {
            char c = b.charAt(i);
            return switch (c) {
                case 'a', 'e', 'i', 'o', 'u' -> false;
                case 'y' -> i == 0 || !consonant(i - 1);
                default -> true;
            };
        }

        /** The measure m of the first {@code len} letters: the number of vowel-consonant sequences, [C](VC)^m[V]. */
        private int measure(int len) {
            int m = 0;
            int i = 0;
            while (i < len && consonant(i)) {
                i++;
            }
            while (i < len) {
                while (i < len && !consonant(i)) {
                    i++;
                }
                if (i >= len) {
                    break;
                }
                while (i < len && consonant(i)) {
                    i++;
                }
                m++;
            }
            return m;
        }

        private boolean hasVowel(int len) {
            for (int i = 0; i < len; i++) {
                if (!consonant(i)) {
                    return true;
                }
            }
            return false;
        }

        /** Whether the first {@code len} letters end in a double consonant. */
        private boolean doubleConsonant(int len) {
            return len >= 2 && b.charAt(len - 1) == b.charAt(len - 2) && consonant(len - 1);
        }

        /** Whether the first {@code len} letters end consonant-vowel-consonant, the last not w, x or y. */
        private boolean cvc(int len) {
            if (len < 3 || !consonant(len - 3) || consonant(len - 2) || !consonant(len - 1)) {
                return false;
            }
            char c = b.charAt(len - 1);
            return c != 'w' && c != 'x' && c != 'y';
        }

        private boolean ends(String suffix) {
            int n = b.length();
            return n >= suffix.length() && b.lastIndexOf(suffix) == n - suffix.length();
        }

        /** The length of the word without {@code suffix} (which it must end with). */
        private int stemLength(String suffix) {
            return b.length() - suffix.length();
        }

        private void replace(String suffix, String with) {
            b.setLength(stemLength(suffix));
            b.append(with);
        }

        /** Replaces {@code suffix} by {@code with} if the word ends with it and its stem has a measure above {@code m}. */
        private boolean replaceIf(String suffix, String with, int m) {
            if (!ends(suffix)) {
                return false;
            }
            if (measure(stemLength(suffix)) > m) {
                replace(suffix, with);
            }
            return true;
        }

        void step1a() {
            if (ends("sses")) {
                replace("sses", "ss");
            } else if (ends("ies")) {
                replace("ies", "i");
            } else if (!ends("ss") && ends("s")) {
                replace("s", "");
            }
        }

        void step1b() {
            if (ends("eed")) {
                if (measure(stemLength("eed")) > 0) {
                    replace("eed", "ee");
                }
                return;
            }
            String removed = null;
            for (String suffix : new String[] {"ed", "ing"}) {
                if (ends(suffix) && hasVowel(stemLength(suffix))) {
                    replace(suffix, "");
                    removed = suffix;
                    break;
                }
            }
            if (removed == null) {
                return;
            }
            if (ends("at") || ends("bl") || ends("iz")) {
                b.append('e');
            } else if (doubleConsonant(b.length())) {
                char c = b.charAt(b.length() - 1);
                if (c != 'l' && c != 's' && c != 'z') {
                    b.setLength(b.length() - 1);
                }
            } else if (measure(b.length()) == 1 && cvc(b.length())) {
                b.append('e');
            }
        }

        void step1c() {
            if (ends("y") && hasVowel(b.length() - 1)) {
                b.setCharAt(b.length() - 1, 'i');
            }
        }

        private static final String[][] STEP2 = {
            {"ational", "ate"}, {"tional", "tion"}, {"enci", "ence"}, {"anci", "ance"}, {"izer", "ize"},
            {"abli", "able"}, {"alli", "al"}, {"entli", "ent"}, {"eli", "e"}, {"ousli", "ous"},
            {"ization", "ize"}, {"ation", "ate"}, {"ator", "ate"}, {"alism", "al"}, {"iveness", "ive"},
            {"fulness", "ful"}, {"ousness", "ous"}, {"aliti", "al"}, {"iviti", "ive"}, {"biliti", "ble"}
        };

        private static final String[][] STEP3 = {
            {"icate", "ic"}, {"ative", ""}, {"alize", "al"}, {"iciti", "ic"}, {"ical", "ic"}, {"ful", ""}, {"ness", ""}
        };

        private static final String[] STEP4 = {
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate",
            "iti", "ous", "ive", "ize"
        };

        void step2() {
            // The longest matching suffix decides; the table lists none that is a suffix of another with a different
            // replacement except "ational"/"ation" and "tional", checked in order.
            for (String[] rule : STEP2) {
                if (replaceIf(rule[0], rule[1], 0)) {
                    return;
                }
            }
        }

        void step3() {
            for (String[] rule : STEP3) {
                if (replaceIf(rule[0], rule[1], 0)) {
                    return;
                }
            }
        }

        void step4() {
            String longest = null;
            for (String suffix : STEP4) {
                if (ends(suffix) && (longest == null || suffix.length() > longest.length())) {
                    longest = suffix;
                }
            }
            if (longest == null) {
                return;
            }
            int len = stemLength(longest);
            if (measure(len) <= 1) {
                return;
            }
            if (longest.equals("ion") && !(len > 0 && (b.charAt(len - 1) == 's' || b.charAt(len - 1) == 't'))) {
                return;
            }
            b.setLength(len);
        }

        void step5() {
            if (ends("e")) {
                int len = b.length() - 1;
                int m = measure(len);
                if (m > 1 || (m == 1 && !cvc(len))) {
                    b.setLength(len);
                }
            }
            if (measure(b.length()) > 1 && doubleConsonant(b.length()) && b.charAt(b.length() - 1) == 'l') {
                b.setLength(b.length() - 1);
            }
        }

        @Override
        public String toString() {
            return b.toString();
        }
    }
}
