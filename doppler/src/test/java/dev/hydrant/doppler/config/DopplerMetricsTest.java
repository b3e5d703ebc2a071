package dev.hydrant.doppler.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The READMEs' metrics tables follow {@link DopplerMetrics}, the one place the doppler's meters are declared. */
class DopplerMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    DopplerMetricsTest() {
        DopplerMetrics.register(registry);
        DopplerMetrics.registerGauges(registry, () -> 0, () -> 0, () -> 0, () -> 0);
    }

    @Test
    void theReadmeTablesListEveryMeterWithItsPrometheusNameKindAndDescription_andNothingElse() throws Exception {
        MetricsTable.assertReadmesFollow(registry, Path.of("README.md"), Path.of("..", "README.md"), "doppler");
    }

    @Test
    void theEmittedMetersAreAmongTheDeclaredOnes() {
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName()))
                .containsAll(DopplerMetrics.EMITTED);
    }
}
