package io.agenthub.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void per_node_figures_get_a_line_of_their_own_under_the_fleet_figures() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("requests/s", 2000.0);
        Map<String, Long> perNode = new LinkedHashMap<>();
        perNode.put("http://127.0.0.1:7701", 10_050L);
        perNode.put("http://127.0.0.1:7702", 9_950L);
        facts.put("requests per hub node", perNode);
        facts.put("hub CPU, cores", 1.0);
        WorkloadResult r = new WorkloadResult("lease", "64 clients", 10, List.of(), facts);

        String md = Report.markdown(Map.of(), List.of(r));

        assertThat(md)
                .contains("- **lease**: 64 clients; 10 s measured. requests/s: 2000. hub CPU, cores: 1.\n"
                        + "  - requests per hub node: http://127.0.0.1:7701 10050, http://127.0.0.1:7702 9950\n");
    }
}
