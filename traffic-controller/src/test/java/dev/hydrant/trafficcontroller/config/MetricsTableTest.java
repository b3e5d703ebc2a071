package dev.hydrant.trafficcontroller.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.testsupport.metrics.MetricsTable;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Traffic Controller's meters are the declared ones, and the READMEs' metrics tables list exactly those. */
class MetricsTableTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    MetricsTableTest() {
        ProxyMetrics metrics = new ProxyMetrics(registry);
        metrics.egress("sse").increment();
        metrics.rejected("no_token").increment();
        metrics.drainChanges("created").increment();
    }

    @Test
    void everyRegisteredMeter_isDeclared_withItsKindTagAndMeaning() {
        Map<String, ProxyMetrics.Declared> declared = ProxyMetrics.DECLARED.stream()
                .collect(Collectors.toMap(ProxyMetrics.Declared::name, d -> d));
        assertThat(registry.getMeters()).extracting(m -> m.getId().getName())
                .containsExactlyInAnyOrderElementsOf(ProxyMetrics.EMITTED);
        for (Meter meter : registry.getMeters()) {
            ProxyMetrics.Declared d = declared.get(meter.getId().getName());
            assertThat(meter.getId().getType().name().toLowerCase()).as(d.name()).isEqualTo(d.kind());
            assertThat(meter.getId().getDescription()).as(d.name()).isEqualTo(d.meaning());
            String tagKey = d.tag().isEmpty() ? null : d.tag().split("=")[0];
            assertThat(meter.getId().getTags()).as(d.name())
                    .extracting(Tag::getKey)
                    .containsExactlyElementsOf(tagKey == null ? List.of() : List.of(tagKey));
        }
    }

    @Test
    void theReadmeTablesListEveryMeterWithItsPrometheusNameKindAndDescription_andNothingElse() throws Exception {
        MetricsTable.assertReadmesFollow(registry, Path.of("README.md"), Path.of("..", "README.md"),
                "traffic-controller");
    }
}
