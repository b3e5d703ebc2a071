package dev.hydrant.doppler.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's metrics tables follow {@link DopplerMetrics}, the one place the doppler's meters are declared. */
class DopplerMetricsTest {

    private static final Path README = Path.of("README.md");
    private static final Path ROOT_README = Path.of("..", "README.md");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    DopplerMetricsTest() {
        DopplerMetrics.register(registry);
        DopplerMetrics.registerGauges(registry, () -> 0, () -> 0, () -> 0, () -> 0);
    }

    @Test
    void theReadmeTableListsEveryMeterWithItsKindAndDescription_andNothingElse() throws Exception {
        assertThat(MetricsTable.readme(README)).containsExactlyInAnyOrderElementsOf(MetricsTable.of(registry));
    }

    @Test
    void theReadmeTableNamesEachMeterAsPrometheusShowsIt() throws Exception {
        List<String> samples = registry.scrape().lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.substring(0, line.lastIndexOf(' '))).toList();

        assertThat(MetricsTable.prometheusNames(README)).containsExactlyInAnyOrderElementsOf(samples);
    }

    @Test
    void theRootReadmeTableHasARowForEveryMeterOfTheDoppler() throws Exception {
        List<String> dopplerRows = Files.readAllLines(ROOT_README).stream()
                .filter(line -> line.startsWith("| ") && line.split("\\|")[1].contains("doppler")).toList();

        for (String name : registry.getMeters().stream().map(m -> m.getId().getName()).distinct().toList()) {
            assertThat(dopplerRows).as("a doppler row of the root README naming %s", name)
                    .anyMatch(row -> row.split("\\|")[2].contains("`" + name + "`")
                            || row.split("\\|")[2].contains("`" + name + "{"));
        }
    }

    @Test
    void theEmittedMetersAreAmongTheDeclaredOnes() {
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName()))
                .containsAll(DopplerMetrics.EMITTED);
    }
}
