package io.agenthub.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agenthub.error.HubException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamingTest {
    private static final ResourceNaming PLAIN = ResourceNaming.DEFAULT;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "src/norm.ts",
                "./src/norm.ts",
                "src//norm.ts",
                "src/x/../norm.ts",
                "src/./norm.ts",
                "././src///./norm.ts",
                "src/a/b/../../norm.ts",
                "src\\norm.ts",
                ".\\src\\x\\..\\norm.ts"
            })
    void every_relative_spelling_of_one_file_is_one_name(String spelling) {
        assertThat(PLAIN.canonical(spelling)).isEqualTo("src/norm.ts");
    }

    @Test
    void a_leading_slash_is_refused_with_a_sentence_asking_for_a_repository_relative_path() {
        assertThatThrownBy(() -> PLAIN.canonical("/src/norm.ts"))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("/src/norm.ts is an absolute path")
                .hasMessageContaining("relative to the repository root");
        assertThatThrownBy(() -> PLAIN.canonical("C:\\repo\\src\\norm.ts"))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> PLAIN.canonical("//server/share/a.ts"))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("absolute path");
    }

    @Test
    void a_configured_root_is_stripped_at_a_segment_boundary_and_others_are_refused_naming_the_roots() {
        ResourceNaming naming =
                new ResourceNaming(List.of("/work/repo/", "/work/repo-two", "C:\\Users\\me\\repo"), false);

        assertThat(naming.canonical("/work/repo/src/norm.ts")).isEqualTo("src/norm.ts");
        assertThat(naming.canonical("/work//repo/./src/x/../norm.ts")).isEqualTo("src/norm.ts");
        assertThat(naming.canonical("/work/other/../repo/src/")).isEqualTo("src/");
        assertThat(naming.canonical("/work/repo-two/lib/a.ts")).isEqualTo("lib/a.ts");
        assertThat(naming.canonical("c:/Users/me/repo/src/norm.ts")).isEqualTo("src/norm.ts");
        assertThat(naming.canonical("C:\\Users\\me\\repo\\src\\norm.ts")).isEqualTo("src/norm.ts");
        assertThat(naming.canonical("src/norm.ts")).isEqualTo("src/norm.ts");
        assertThatThrownBy(() -> naming.canonical("/work/repository/a.ts"))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("under C:/Users/me/repo or /work/repo-two or /work/repo");
        assertThatThrownBy(() -> naming.canonical("/work/repo"))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("names the repository root itself");
        assertThatThrownBy(() -> naming.canonical("/work/repo/src/../.."))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("absolute path");
    }

    @Test
    void a_root_must_be_an_absolute_directory() {
        assertThatThrownBy(() -> new ResourceNaming(List.of("work/repo"), false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceNaming(List.of("/"), false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceNaming(List.of("/work/.."), false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../src/a.ts", "src/../../a.ts", "./..", "src/../..", "a/b/../../../c/"})
    void a_dot_dot_that_escapes_the_root_is_refused(String escaping) {
        assertThatThrownBy(() -> PLAIN.canonical(escaping))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("leaves the repository root with '..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "./", "src/..", "a/b/../../", ".//."})
    void a_name_that_resolves_to_the_root_itself_is_refused(String root) {
        assertThatThrownBy(() -> PLAIN.canonical(root))
                .isInstanceOf(HubException.InvalidRequest.class)
                .hasMessageContaining("names the repository root itself");
    }

    @Test
    void a_trailing_slash_keeps_meaning_zone_and_a_trailing_dot_segment_names_a_directory() {
        assertThat(PLAIN.canonical("src/")).isEqualTo("src/");
        assertThat(PLAIN.canonical("./src//")).isEqualTo("src/");
        assertThat(PLAIN.canonical("src\\")).isEqualTo("src/");
        assertThat(PLAIN.canonical("src/app/..")).isEqualTo("src/");
        assertThat(PLAIN.canonical("src/.")).isEqualTo("src/");
        assertThat(PLAIN.canonical("src"))
                .as("without a slash it stays a plain resource")
                .isEqualTo("src");
        assertThat(Resources.isZone(PLAIN.canonical("src/x/../app/"))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"db:migrations", "task:42", "branch:main", "deploy-lock", "a.b..c", "...", "x:1.2/..."})
    void names_that_are_not_paths_stay_as_sent(String name) {
        assertThat(PLAIN.canonical(name)).isEqualTo(name);
    }

    @Test
    void names_with_a_namespace_and_slashes_follow_the_path_rules() {
        assertThat(PLAIN.canonical("task:42//step/./1")).isEqualTo("task:42/step/1");
        assertThat(PLAIN.canonical("db:schema/")).isEqualTo("db:schema/");
    }

    @Test
    void case_is_kept_unless_the_case_insensitive_setting_is_on() {
        ResourceNaming folding = new ResourceNaming(List.of("/Work/Repo"), true);

        assertThat(PLAIN.canonical("Src/Norm.ts")).isEqualTo("Src/Norm.ts");
        assertThat(folding.canonical("Src/Norm.ts")).isEqualTo("src/norm.ts");
        assertThat(folding.canonical("/WORK/repo/SRC/norm.TS")).isEqualTo("src/norm.ts");
        assertThat(folding.canonical("Task:ABC")).isEqualTo("task:abc");
    }

    @Test
    void composed_and_decomposed_accents_are_one_name() {
        assertThat(PLAIN.canonical("docs/re\u0301sume\u0301.md")).isEqualTo("docs/r\u00e9sum\u00e9.md");
    }

    @Test
    void blank_spaced_control_and_overlong_names_are_refused_as_before() {
        assertThatThrownBy(() -> PLAIN.canonical(" ")).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> PLAIN.canonical(null)).isInstanceOf(HubException.InvalidRequest.class);
        assertThatThrownBy(() -> PLAIN.canonical(" src/a.ts")).hasMessageContaining("leading or trailing spaces");
        assertThatThrownBy(() -> PLAIN.canonical("src/a\n.ts")).hasMessageContaining("control characters");
        assertThatThrownBy(() -> PLAIN.canonical("a".repeat(Resources.MAX_LENGTH + 1)))
                .isInstanceOf(HubException.TooLarge.class);
    }

    @Test
    void canonical_names_are_fixed_points() {
        for (String name : List.of("src/norm.ts", "src/", "db:migrations", "a/b/c/")) {
            assertThat(PLAIN.canonical(PLAIN.canonical(name))).isEqualTo(PLAIN.canonical(name));
        }
    }

    @Test
    void a_list_is_made_canonical_in_order_without_duplicates() {
        assertThat(PLAIN.canonicalAll(List.of("./b.ts", "a.ts", "b.ts", "x/../a.ts")))
                .containsExactly("b.ts", "a.ts");
    }
}
