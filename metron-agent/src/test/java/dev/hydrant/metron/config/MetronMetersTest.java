package dev.hydrant.metron.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.metron.containers.ContainerMetricsMeters;
import dev.hydrant.metron.ratelimit.RateLimitMeters;
import dev.hydrant.metron.scrape.ScrapeMeters;
import dev.hydrant.metron.files.FilesMeters;
import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' metrics tables follow {@link MetronMeters}, the one place the agent's meters are declared,
 * and {@link FilesMeters}, the file tailer's.
 */
class MetronMetersTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    MetronMetersTest() {
        MetronMeters.register(registry);
        MetronMeters.registerGauges(registry, () -> 0, () -> 0);
        ScrapeMeters.failures(registry, "node", "0");
        ContainerMetricsMeters.failures(registry, "app", "0");
        RateLimitMeters.register(registry);
        FilesMeters.register(registry);
        FilesMeters.registerGauge(registry, () -> 0);
    }

    @Test
    void theReadmeTablesListEveryMeterWithItsPrometheusNameKindAndDescription_andNothingElse() throws Exception {
        MetricsTable.assertReadmesFollow(registry, Path.of("README.md"), Path.of("..", "README.md"), "metron");
    }

    @Test
    void theEmittedMetersAreAmongTheDeclaredOnes() {
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName())).containsAll(MetronMeters.EMITTED);
    }
}
