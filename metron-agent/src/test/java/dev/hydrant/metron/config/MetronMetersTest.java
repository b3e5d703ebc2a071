package dev.hydrant.metron.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's metrics tables follow {@link MetronMeters}, the one place the agent's meters are declared. */
class MetronMetersTest {

    private static final Path README = Path.of("README.md");
    private static final Path ROOT_README = Path.of("..", "README.md");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    MetronMetersTest() {
        MetronMeters.register(registry);
        MetronMeters.registerGauges(registry, () -> 0, () -> 0);
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
    void theRootReadmeTableHasARowForEveryMeterOfTheAgent() throws Exception {
        List<String> metronRows = Files.readAllLines(ROOT_README).stream()
                .filter(line -> line.startsWith("| ") && line.split("\\|")[1].contains("metron")).toList();

        for (String name : registry.getMeters().stream().map(m -> m.getId().getName()).distinct().toList()) {
            assertThat(metronRows).as("a metron row of the root README naming %s", name)
                    .anyMatch(row -> row.split("\\|")[2].contains("`" + name + "`")
                            || row.split("\\|")[2].contains("`" + name + "{"));
        }
    }

    @Test
    void theEmittedMetersAreAmongTheDeclaredOnes() {
        assertThat(registry.getMeters().stream().map(m -> m.getId().getName()))
                .containsAll(MetronMeters.EMITTED);
    }
}
