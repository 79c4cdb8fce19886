package io.agenthub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whole numbers in the query string are refused when out of range, never narrowed into range. */
class QueryRangeTest {
    static TestHub hub;
    static String agent;

    @BeforeAll
    static void start() throws Exception {
        hub = new TestHub(Map.of(), java.time.Clock.systemUTC());
        agent = hub.agent("counter");
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @ParameterizedTest(name = "{0}?{1}=...")
    @CsvSource({
        "/api/handoffs, limit, 1, 500, agent",
        "/api/inbox, limit, 1, 500, agent",
        "/api/chat?channel=general, limit, 1, 500, agent",
        "/api/memories?x=1, limit, 1, 100, agent",
        "/api/checkpoints?x=1, limit, 1, 100, agent",
        "/api/tier, limit, 1, 1000, agent",
        "/api/alerts, history, 1, 1000, admin",
        "/api/audit, limit, 1, 1000, admin",
        "/api/trace, limit, 1, 5000, agent",
        "/api/errors?action=issues, limit, 1, 100, agent",
        "/api/hot-start, maxChars, 600, 400000, agent",
        // Found by the fuzz suite's review: GET /api/tasks narrowed its limit (4294967297 listed 1 task).
        "/api/tasks, limit, 1, 200, agent",
    })
    void a_value_past_the_int_range_is_a_400_naming_the_parameter_and_its_range(
            String path, String name, int min, int max, String who) {
        String token = who.equals("admin") ? TestHub.ADMIN : agent;
        String sep = path.contains("?") ? "&" : "?";
        for (String value : new String[] {"4294967297", "-4294967295", "99999999999999999999999", "" + (max + 1)}) {
            TestHub.Response r = hub.get(token, path + sep + name + "=" + value);
            assertThat(r.status())
                    .as(path + " " + value + ": " + r.raw().body())
                    .isEqualTo(400);
            assertThat(r.json().path("detail").asString())
                    .as(path)
                    .contains(name)
                    .contains("between " + min + " and " + max);
        }
        assertThat(hub.get(token, path + sep + name + "=" + max).status())
                .as(path + " at the maximum")
                .isEqualTo(200);
    }
}
