package dev.hydrant.nozzles.syslog.drain;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DrainMetricsTest {

    @Test
    void drainsBeyondTheCap_shareTheOtherSeries_andAnUnboundDrainsSeriesGo() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DrainMetrics metrics = new DrainMetrics(registry, 2);

        metrics.bind("a").written().increment();
        metrics.bind("b").written().increment();
        metrics.bind("c").written().increment(5);

        assertThat(registry.get(DrainMetrics.WRITTEN).tag("drain", "a").counter().count()).isEqualTo(1);
        assertThat(registry.get(DrainMetrics.WRITTEN).tag("drain", "other").counter().count()).isEqualTo(5);
        assertThat(registry.find(DrainMetrics.WRITTEN).tag("drain", "c").counter()).isNull();
        assertThat(registry.get(DrainMetrics.BOUND).gauge().value()).isEqualTo(3);

        metrics.unbind("a");
        assertThat(registry.find(DrainMetrics.WRITTEN).tag("drain", "a").counter()).isNull();
        assertThat(registry.get(DrainMetrics.BOUND).gauge().value()).isEqualTo(2);
        metrics.bind("d").dropped().increment();
        assertThat(registry.get(DrainMetrics.DROPPED).tag("drain", "d").counter().count()).isEqualTo(1);
    }
}
