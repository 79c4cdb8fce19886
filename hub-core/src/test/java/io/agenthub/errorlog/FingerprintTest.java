package io.agenthub.errorlog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FingerprintTest {
    @Test
    void numbers_and_ids_in_the_title_do_not_split_an_issue() {
        assertThat(Fingerprint.of("Timeout after 5023 ms", "call", ""))
                .isEqualTo(Fingerprint.of("Timeout after 5100 ms", "call", ""))
                .isEqualTo(Fingerprint.of("timeout after 12 MS", "call", ""));
        assertThat(Fingerprint.normalizeTitle("Job 3f2a9c1e-1b2c-4d5e-8f90-123456789abc failed at 0x7ff3"))
                .isEqualTo("job # failed at #");
        assertThat(Fingerprint.of("Timeout", "call", "")).hasSize(16).matches("[0-9a-f]{16}");
    }

    @Test
    void culprit_and_first_stack_frame_separate_issues() {
        assertThat(Fingerprint.of("Boom", "a", "")).isNotEqualTo(Fingerprint.of("Boom", "b", ""));
        String js = "TypeError: x is undefined\n    at render (app.js:10:3)\n    at main (app.js:99:1)";
        String other = "TypeError: x is undefined\n    at paint (app.js:20:3)";
        assertThat(Fingerprint.frame(js)).isEqualTo("at render (app.js:10:3)");
        assertThat(Fingerprint.of("TypeError", "ui", js)).isNotEqualTo(Fingerprint.of("TypeError", "ui", other));
        assertThat(Fingerprint.frame("Traceback (most recent call last):\n  File \"a.py\", line 3, in f"))
                .isEqualTo("File \"a.py\", line 3, in f");
        assertThat(Fingerprint.frame("just one line")).isEqualTo("just one line");
        assertThat(Fingerprint.frame(null)).isEmpty();
    }
}
