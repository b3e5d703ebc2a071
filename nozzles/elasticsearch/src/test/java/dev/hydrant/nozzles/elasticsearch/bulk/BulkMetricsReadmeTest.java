package dev.hydrant.nozzles.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's metrics table is the meters BulkMetrics declares, with their kinds and descriptions. */
class BulkMetricsReadmeTest {

    private static List<MetricsTable.Row> declared() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new BulkMetrics(registry);
        // the table writes the reject reasons' counter once, as {reason}
        return MetricsTable.of(registry).stream()
                .map(row -> new MetricsTable.Row(row.meter().replaceAll("\\{reason=[a-z]+}", "{reason}"), row.kind(),
                        row.meaning()))
                .distinct().toList();
    }

    @Test
    void theReadmeListsEveryMeter_asDeclared() throws Exception {
        assertThat(MetricsTable.readme(Path.of("README.md"))).containsExactlyInAnyOrderElementsOf(declared());
        assertThat(declared()).hasSize(8);
    }

    @Test
    void theRootReadmeNamesEveryMeter() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("../../README.md")).stream()
                .filter(line -> line.startsWith("| nozzles/elasticsearch |")).toList();
        for (MetricsTable.Row row : declared()) {
            String name = row.meter().replace("{reason}", "");
            assertThat(rows).as("a nozzles/elasticsearch row of the root README naming %s", name)
                    .anyMatch(line -> line.contains("`" + name + "`") || line.contains("`" + name + "{"));
        }
    }
}
