package io.agenthub.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequireTest {
    @Test
    void utf8_length_matches_the_encoder_for_every_width() {
        for (String s : new String[] {
            "", "ascii", "\u00e9t\u00e9", "\u6771\u4eac", "\uD83D\uDE80 rocket", "mix \u00e9\u6771\uD83D\uDE80"
        }) {
            assertThat(Require.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void utf8_limit_counts_bytes_and_turns_null_into_empty() {
        assertThat(Require.utf8("f", null, 1)).isEmpty();
        assertThat(Require.utf8("f", "\u00e9\u00e9", 4)).isEqualTo("\u00e9\u00e9");
        assertThatThrownBy(() -> Require.utf8("f", "\u00e9\u00e9", 3))
                .isInstanceOf(HubException.TooLarge.class)
                .hasMessageContaining("f has 4 bytes; the limit is 3");
    }
}
