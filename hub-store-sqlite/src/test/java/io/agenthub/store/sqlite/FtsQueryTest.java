package io.agenthub.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FtsQueryTest {
    @Test
    void words_are_quoted_lowercased_and_joined_with_or() {
        assertThat(FtsQuery.of("Connection POOL leaks")).contains("\"connection\" OR \"pool\" OR \"leaks\"*");
    }

    @Test
    void operators_quotes_and_punctuation_are_never_passed_through() {
        assertThat(FtsQuery.of("NEAR(a \"OR\" b) -c:d*"))
                .contains("\"near\" OR \"a\" OR \"or\" OR \"b\" OR \"c\" OR \"d\"");
        assertThat(FtsQuery.of("{content}: ^x AND y")).contains("\"content\" OR \"x\" OR \"and\" OR \"y\"");
    }

    @Test
    void text_without_words_gives_no_query() {
        assertThat(FtsQuery.of(null)).isEmpty();
        assertThat(FtsQuery.of("")).isEmpty();
        assertThat(FtsQuery.of("\"()*:-^ \u0301")).isEmpty();
    }

    @Test
    void the_last_word_is_a_prefix_only_when_the_text_ends_in_it_and_it_is_long_enough() {
        assertThat(FtsQuery.of("pool")).contains("\"pool\"*");
        assertThat(FtsQuery.of("pool ")).contains("\"pool\"");
        assertThat(FtsQuery.of("pool.")).contains("\"pool\"");
        assertThat(FtsQuery.of("po")).contains("\"po\"");
        assertThat(FtsQuery.of("pool leaks pool")).contains("\"pool\"* OR \"leaks\"");
    }

    @Test
    void repeated_words_appear_once_and_at_most_the_word_limit() {
        String many = IntStream.range(0, 100).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        String query = FtsQuery.of(many + " " + many).orElseThrow();
        assertThat(query.split(" OR ")).hasSize(FtsQuery.MAX_WORDS);
    }

    @Test
    void letters_of_any_script_and_digits_are_words() {
        assertThat(FtsQuery.of("Café 東京 v2")).contains("\"café\" OR \"東京\" OR \"v2\"");
    }
}
