package dev.hydrant.metron.containers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of the container metrics, declared and described here; rows of the metrics table of
 * {@code metron-agent/README.md} (a test holds it to that).
 *
 * <table>
 * <caption>container metrics meters</caption>
 * <tr><td>{@code container.metrics.failures{instance_id,source_id}}</td><td>counter</td><td>samples of a container whose files could not be read (the cgroup or process is gone, or a file is unreadable)</td></tr>
 * </table>
 */
public final class ContainerMetricsMeters {

    private ContainerMetricsMeters() {
    }

    /** {@code container.metrics.failures} of one container. */
    public static Counter failures(MeterRegistry registry, String sourceId, String instanceId) {
        return Counter.builder("container.metrics.failures")
                .tag("source_id", sourceId)
                .tag("instance_id", instanceId)
                .description("Samples of a container whose files could not be read (the cgroup or process is gone, "
                        + "or a file is unreadable)")
                .register(registry);
    }
}
