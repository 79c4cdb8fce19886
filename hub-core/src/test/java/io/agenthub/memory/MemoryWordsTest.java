package io.agenthub.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemoryWordsTest {
    @Test
    void porter_stems_fold_the_forms_of_a_word() {
        assertThat(PorterStemmer.stem("caching")).isEqualTo("cach");
        assertThat(PorterStemmer.stem("cached")).isEqualTo("cach");
        assertThat(PorterStemmer.stem("caches")).isEqualTo("cach");
        assertThat(PorterStemmer.stem("connection")).isEqualTo("connect");
        assertThat(PorterStemmer.stem("connections")).isEqualTo("connect");
        assertThat(PorterStemmer.stem("connected")).isEqualTo("connect");
    }

    @Test
    void porter_stems_match_the_published_examples() {
        String[][] examples = {
            {"caresses", "caress"},
            {"ponies", "poni"},
            {"ties", "ti"},
            {"caress", "caress"},
            {"cats", "cat"},
            {"feed", "feed"},
            {"agreed", "agre"},
            {"plastered", "plaster"},
            {"bled", "bled"},
            {"motoring", "motor"},
            {"sing", "sing"},
            {"conflated", "conflat"},
            {"troubled", "troubl"},
            {"sized", "size"},
            {"hopping", "hop"},
            {"tanned", "tan"},
            {"falling", "fall"},
            {"hissing", "hiss"},
            {"fizzed", "fizz"},
            {"failing", "fail"},
            {"filing", "file"},
            {"happy", "happi"},
            {"sky", "sky"},
            {"relational", "relat"},
            {"conditional", "condit"},
            {"rational", "ration"},
            {"valenci", "valenc"},
            {"digitizer", "digit"},
            {"vileli", "vile"},
            {"analogousli", "analog"},
            {"vietnamization", "vietnam"},
            {"predication", "predic"},
            {"operator", "oper"},
            {"feudalism", "feudal"},
            {"decisiveness", "decis"},
            {"hopefulness", "hope"},
            {"callousness", "callous"},
            {"formaliti", "formal"},
            {"sensitiviti", "sensit"},
            {"triplicate", "triplic"},
            {"formative", "form"},
            {"formalize", "formal"},
            {"electriciti", "electr"},
            {"electrical", "electr"},
            {"hopeful", "hope"},
            {"goodness", "good"},
            {"revival", "reviv"},
            {"allowance", "allow"},
            {"inference", "infer"},
            {"airliner", "airlin"},
            {"adjustable", "adjust"},
            {"defensible", "defens"},
            {"irritant", "irrit"},
            {"replacement", "replac"},
            {"adjustment", "adjust"},
            {"dependent", "depend"},
            {"adoption", "adopt"},
            {"homologou", "homolog"},
            {"communism", "commun"},
            {"activate", "activ"},
            {"angulariti", "angular"},
            {"homologous", "homolog"},
            {"effective", "effect"},
            {"bowdlerize", "bowdler"},
            {"probate", "probat"},
            {"rate", "rate"},
            {"cease", "ceas"},
            {"controll", "control"},
            {"roll", "roll"}
        };
        for (String[] e : examples) {
            assertThat(PorterStemmer.stem(e[0])).as(e[0]).isEqualTo(e[1]);
        }
    }

    @Test
    void words_that_are_not_lowercase_ascii_or_are_short_are_kept() {
        assertThat(PorterStemmer.stem("is")).isEqualTo("is");
        assertThat(PorterStemmer.stem("h2o")).isEqualTo("h2o");
        assertThat(PorterStemmer.stem("straße")).isEqualTo("straße");
    }

    @Test
    void the_fingerprint_folds_case_whitespace_punctuation_diacritics_and_word_forms_but_not_the_category() {
        String base = MemoryWords.fingerprint(Memory.Category.LEARNING, "Caching the café tokens saves calls.");
        assertThat(MemoryWords.fingerprint(Memory.Category.LEARNING, "  cached -- THE cafe TOKEN; saving CALLS!!"))
                .isEqualTo(base);
        assertThat(MemoryWords.fingerprint(Memory.Category.WARNING, "Caching the café tokens saves calls."))
                .isNotEqualTo(base);
        assertThat(MemoryWords.fingerprint(Memory.Category.LEARNING, "Caching the café tokens saves no calls."))
                .isNotEqualTo(base);
        assertThat(MemoryWords.fingerprint(Memory.Category.LEARNING, "calls saves tokens café the caching"))
                .as("word order counts")
                .isNotEqualTo(base);
        assertThat(base).hasSize(64);
    }

    @Test
    void similarity_is_the_jaccard_index_of_the_stem_sets() {
        assertThat(MemoryWords.similarity("The build cache is stale", "the BUILD caches are stale"))
                .isEqualTo(4.0 / 6);
        assertThat(MemoryWords.similarity("a b c d e", "a b c d e f")).isEqualTo(5.0 / 6);
        assertThat(MemoryWords.similarity("same words", "Same, words!")).isEqualTo(1.0);
        assertThat(MemoryWords.similarity("alpha", "beta")).isZero();
        assertThat(MemoryWords.similarity("!!", "??")).isZero();
    }
}
