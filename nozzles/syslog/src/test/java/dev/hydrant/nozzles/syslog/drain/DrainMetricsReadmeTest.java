package dev.hydrant.nozzles.syslog.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's metrics table is the meters DrainMetrics declares, with their descriptions. */
class DrainMetricsReadmeTest {

    @Test
    void theReadmeListsEveryMeter_asDeclared() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new DrainMetrics(registry, 1).bind("BINDING-ID");
        var declared = MetricsTable.of(registry).stream().filter(row -> !row.meter().contains("drain=other")).toList();
        assertThat(MetricsTable.readme(Path.of("README.md"))).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(declared).hasSize(DrainMetrics.EMITTED.size());
    }
}
