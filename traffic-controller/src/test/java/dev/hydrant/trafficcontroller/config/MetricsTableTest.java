package dev.hydrant.trafficcontroller.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The Traffic Controller's meters are the declared ones, and its README lists exactly those. */
class MetricsTableTest {

    @Test
    void everyRegisteredMeter_isDeclared_withItsKindTagAndMeaning() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ProxyMetrics metrics = new ProxyMetrics(registry);
        metrics.egress("sse").increment();
        metrics.rejected("no_token").increment();
        metrics.drainChanges("created").increment();

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
    void readmeMetricsTable_listsExactlyTheDeclaredMeters() throws IOException {
        List<String> rows = new ArrayList<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("## ")) {
                inSection = line.equals("## Metrics");
            } else if (inSection && line.startsWith("| `")) {
                rows.add(line);
            }
        }
        assertThat(rows).containsExactlyElementsOf(ProxyMetrics.DECLARED.stream()
                .map(d -> "| `" + d.written() + "` | " + d.kind() + " | " + d.meaning() + " |").toList());
    }
}
