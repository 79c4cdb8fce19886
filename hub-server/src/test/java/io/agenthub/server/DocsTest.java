package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agenthub.server.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration table and API list stay in step with the code. */
class DocsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String BEGIN =
            "<!-- settings:begin (generated from Setting.java; DocsTest keeps it in sync) -->\n";
    private static final String END = "<!-- settings:end -->";

    @Test
    void readme_configuration_table_matches_the_settings() throws Exception {
        String readme = Files.readString(README);
        int start = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(start).as("README has the settings markers").isNotNegative();
        String expected = readme.substring(0, start + BEGIN.length()) + Setting.markdownTable() + readme.substring(end);
        if (!expected.equals(readme)) {
            Files.writeString(Path.of("target", "README.expected.md"), expected);
        }
        assertThat(readme)
                .as("README configuration table is out of date; see hub-server/target/README.expected.md")
                .isEqualTo(expected);
    }

    @Test
    void readme_lists_every_http_route() throws Exception {
        String readme = Files.readString(README);
        try (TestHub hub = new TestHub()) {
            for (String route : hub.hub().routes().keySet()) {
                assertThat(readme).as("README documents %s", route).contains("`" + route + "`");
            }
        }
    }
}
