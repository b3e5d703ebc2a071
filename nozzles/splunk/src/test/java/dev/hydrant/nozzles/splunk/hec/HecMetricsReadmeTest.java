package dev.hydrant.nozzles.splunk.hec;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's metrics table, and the root README's rows, are the meters HecMetrics declares. */
class HecMetricsReadmeTest {

    @Test
    void theReadmesListEveryMeter_asDeclared() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new HecMetrics(registry).acksPending(() -> 0);

        MetricsTable.assertReadmesFollow(registry, Path.of("README.md"), Path.of("..", "..", "README.md"),
                "nozzles/splunk");
    }
}
